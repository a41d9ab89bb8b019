package io.ttsmesh.orchestrator.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's layering: the core ({@code solving}) knows only its own ports (SearchEventSink, TokenAccount)
 * and what it shares with everyone ({@code events}, {@code admission}, the search module); the adapters
 * (APIs, access, jobs, Kafka, monitor, pod clients) depend on it, never the other way round; and no two
 * packages of the app import each other, directly or around a circle.
 */
class LayeringTest {

    private static final String APP = "io.ttsmesh.orchestrator";
    private static final String[] ADAPTERS = {APP + ".api..", APP + ".access..", APP + ".jobs..", APP + ".kafka..",
            APP + ".monitor..", APP + ".pods..", APP + ".assembly.."};

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(APP);

    static final ArchRule CORE_IMPORTS_NO_ADAPTER = noClasses().that().resideInAPackage(APP + ".solving..")
            .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS)
            .because("the core publishes through its ports; adapters implement them");

    static final ArchRule NO_PACKAGE_CYCLE = slices().matching(APP + ".(*)..").should().beFreeOfCycles();

    @Test
    void theCoreImportsNoAdapter() {
        CORE_IMPORTS_NO_ADAPTER.check(MAIN);
    }

    @Test
    void noPackageOfTheAppIsInACycle() {
        NO_PACKAGE_CYCLE.check(MAIN);
    }

    /** The rules are not vacuous: the classes are there, and a core class that imports an adapter is caught. */
    @Test
    void theRulesSeeTheAppAndCatchAViolation() {
        assertThat(MAIN.containPackage(APP + ".solving")).isTrue();
        assertThat(MAIN.containPackage(APP + ".kafka")).isTrue();
        JavaClasses violating = new ClassFileImporter().importClasses(
                io.ttsmesh.orchestrator.solving.SearchService.class, io.ttsmesh.orchestrator.kafka.EventPublisher.class,
                CoreThatImportsAnAdapter.class);
        EvaluationResult result = noClasses().that().haveSimpleName(CoreThatImportsAnAdapter.class.getSimpleName())
                .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS).evaluate(violating);
        assertThat(result.hasViolation()).isTrue();
    }

    /** Stands for a core class reaching for the Kafka publisher instead of its port. */
    static final class CoreThatImportsAnAdapter {
        io.ttsmesh.orchestrator.kafka.EventPublisher publisher;
    }
}
