package io.ttsmesh.mesh;

import io.ttsmesh.mesh.batch.BatchCommand;
import io.ttsmesh.mesh.batch.FailoverCommand;
import io.ttsmesh.mesh.broker.KafkaBroker;
import io.ttsmesh.mesh.local.MeshStartException;
import io.ttsmesh.mesh.questions.InvalidQuestionFile;
import io.ttsmesh.mesh.soak.SoakCommand;
import io.ttsmesh.mesh.chaos.ChaosCommand;
import io.ttsmesh.mesh.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code tts-mesh}: run the mesh on this machine. {@code up} is the default subcommand. */
@Command(name = "tts-mesh", mixinStandardHelpOptions = true,
        description = "Runs tts-mesh locally: a Kafka broker and the three services with the bundled models.",
        subcommands = {UpCommand.class, BatchCommand.class, FailoverCommand.class, SoakCommand.class, ChaosCommand.class})
public class MeshCommand {

    private static final Set<String> TOP_LEVEL = Set.of("-h", "--help", "-V", "--version");

    public static void main(String[] args) {
        // The Kafka client logs through slf4j: to the simple logger (the one logging backend of the launcher and its
        // broker, see KafkaBroker), errors only, so its chatter (connects, rebalances, a broker not up yet while the
        // launcher waits for it) stays off the console.
        System.setProperty(KafkaBroker.SLF4J_PROVIDER_KEY, KafkaBroker.SLF4J_SIMPLE);
        System.setProperty(KafkaBroker.SLF4J_VERBOSITY_KEY, "WARN");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        CommandLine cli = new CommandLine(new MeshCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof MeshStartException || e instanceof InvalidQuestionFile || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                cmd.getErr().println("tts-mesh: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        System.exit(cli.execute(withDefaultSubcommand(args)));
    }

    /** No subcommand (or only options of up) means {@code up}. */
    static String[] withDefaultSubcommand(String[] args) {
        if (args.length > 0 && (!args[0].startsWith("-") || TOP_LEVEL.contains(args[0]))) {
            return args;
        }
        List<String> all = new ArrayList<>(List.of("up"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }
}
