package io.ttsmesh.mesh;

import io.ttsmesh.mesh.batch.BatchCommand;
import io.ttsmesh.mesh.batch.FailoverCommand;
import io.ttsmesh.mesh.local.MeshStartException;
import io.ttsmesh.mesh.questions.InvalidQuestionFile;
import io.ttsmesh.mesh.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code tts-mesh}: run the mesh on this machine. {@code up} is the default subcommand. */
@Command(name = "tts-mesh", mixinStandardHelpOptions = true,
        description = "Runs tts-mesh locally: a Kafka broker and the three services with the bundled models.",
        subcommands = {UpCommand.class, BatchCommand.class, FailoverCommand.class})
public class MeshCommand {

    /** Held: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static Logger kafkaLogger;
    private static final Set<String> TOP_LEVEL = Set.of("-h", "--help", "-V", "--version");

    public static void main(String[] args) {
        // slf4j (the Kafka client, gRPC) logs to the JBoss log manager on this classpath: install it before anything
        // logs, and keep the Kafka client's chatter (connects, rebalances) off the console.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        kafkaLogger = Logger.getLogger("org.apache.kafka");
        kafkaLogger.setLevel(Level.WARNING);
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
