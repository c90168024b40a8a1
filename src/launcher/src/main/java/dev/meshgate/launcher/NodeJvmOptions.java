package dev.meshgate.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mesh-node's JVM options, kept in {@code mesh-node/jvm.options} so that the launcher and the
 * container image (which hands the same file to java as {@code @jvm.options}) run nodes alike.
 */
final class NodeJvmOptions {

    static final String FILE = "mesh-node/jvm.options";

    private NodeJvmOptions() {
    }

    /** The options in {@code <home>/mesh-node/jvm.options}, or the role's built-in ones when the file is missing. */
    static List<String> read(Path home) {
        Path file = home.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Role.MESH_NODE.defaultJvmOptions();
        }
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Java argument-file syntax as the file uses it: whitespace-separated options, {@code #} to the end of a line is a comment. */
    static List<String> parse(List<String> lines) {
        List<String> options = new ArrayList<>();
        for (String line : lines) {
            int comment = line.indexOf('#');
            String content = comment >= 0 ? line.substring(0, comment) : line;
            for (String token : content.trim().split("\\s+")) {
                if (!token.isEmpty()) {
                    options.add(token);
                }
            }
        }
        return List.copyOf(options);
    }

    /**
     * Java argument-file text giving {@code arguments} one per line; an argument with whitespace,
     * a quote or {@code #} is quoted, with its backslashes and quotes escaped as the launcher expects.
     */
    static String argumentFile(List<String> arguments) {
        StringBuilder file = new StringBuilder();
        for (String argument : arguments) {
            boolean plain = !argument.isEmpty() && argument.chars()
                    .noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '#' || c == '\\');
            file.append(plain ? argument
                    : '"' + argument.replace("\\", "\\\\").replace("\"", "\\\"") + '"').append('\n');
        }
        return file.toString();
    }
}
