package dev.meshgate.launcher;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A started process of the topology. */
public record RunningProcess(ProcessSpec spec, Process process, Instant startedAt) {

    private static final int TAIL_WINDOW = 64 * 1024;

    public String name() {
        return spec.name();
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return spec.logFile();
    }

    /** The last {@code count} lines of the process's log, or a note saying why there are none. */
    public String logTail(int count) {
        return tail(spec.logFile(), count);
    }

    static String tail(Path file, int count) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        // only the end of the file is read: a log can be large, its last lines are near the end
        try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
            long length = log.length();
            int window = (int) Math.min(length, TAIL_WINDOW);
            byte[] bytes = new byte[window];
            log.seek(length - window);
            log.readFully(bytes);
            List<String> lines = List.of(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            if (window < length && !lines.isEmpty()) {
                lines = lines.subList(1, lines.size());
            }
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
