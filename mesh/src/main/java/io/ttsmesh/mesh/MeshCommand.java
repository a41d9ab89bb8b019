package io.ttsmesh.mesh;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tts-mesh}: run the mesh on this machine. */
@Command(name = "tts-mesh", mixinStandardHelpOptions = true,
        description = "Runs tts-mesh locally: a Kafka broker and the three services with the bundled models.",
        subcommands = {})
public class MeshCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new MeshCommand()).execute(args));
    }
}
