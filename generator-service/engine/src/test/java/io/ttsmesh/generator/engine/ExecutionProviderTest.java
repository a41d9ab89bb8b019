package io.ttsmesh.generator.engine;

import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.runtime.ExecutionProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecutionProviderTest {

    @Test
    void askingForCudaWithoutCudaFailsAtStartWithAClearMessage() {
        var settings = EngineSettings.forModel(BundledModels.generator()).executionProvider(ExecutionProvider.CUDA).build();
        long started = System.nanoTime();
        assertThatThrownBy(() -> GeneratorEngine.start(settings).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("execution provider 'cuda' was requested")
                .hasMessageContaining("gpu")
                .hasMessageContaining("cpu");
        assertThat(System.nanoTime() - started).as("fails fast").isLessThan(30_000_000_000L);
    }

    @Test
    void anIncompleteModelDirectoryIsNamed() {
        var settings = EngineSettings.forModel(BundledModels.root().resolve("no-such-model")).build();
        assertThatThrownBy(() -> GeneratorEngine.start(settings)).hasMessageContaining("no-such-model");
    }
}
