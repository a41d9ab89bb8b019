package io.ttsmesh.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tts-bench}: evaluation and benchmarks. Each subcommand writes its results under bench/results/. */
@Command(name = "tts-bench", mixinStandardHelpOptions = true,
        description = "Evaluates strategies and policies and benchmarks the services.",
        subcommands = {
                io.ttsmesh.bench.generator.GeneratorBenchmark.class,
                io.ttsmesh.bench.verifier.VerifierBench.class,
                io.ttsmesh.bench.eval.EvalCommand.class,
                io.ttsmesh.bench.report.ReportCommand.class,
                io.ttsmesh.bench.mesh.MeshOverheadBenchmark.class,
                io.ttsmesh.bench.mesh.MeshLoadBenchmark.class,
                io.ttsmesh.bench.mesh.ScoreAheadBenchmark.class,
                io.ttsmesh.bench.tokenizer.TokenizerBench.class,
        })
public class BenchCommand {

    public static void main(String[] args) {
        // The JBoss log manager is on the class path (through the gRPC stubs); name it before anything logs.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
