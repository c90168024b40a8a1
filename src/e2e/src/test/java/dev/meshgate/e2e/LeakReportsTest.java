package dev.meshgate.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The check every end-to-end class relies on after stopping the topology: a leak in any process log is found and named. */
class LeakReportsTest {

    @TempDir
    Path logs;

    @Test
    void aLeakReportInALogNamesTheProcessAndQuotesTheReport() throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("gateway", Files.writeString(logs.resolve("gateway.log"), "started\nall good\n"));
        files.put("mesh-node-search-1", Files.writeString(logs.resolve("node.log"),
                "started\n2025 ERROR i.n.u.ResourceLeakDetector : LEAK: ByteBuf.release() was not called\nRecent access records:\n#1: at x\n"));
        files.put("samples", logs.resolve("never-written.log"));

        List<String> reports = MeshTopologyExtension.leakReports(files);

        assertThat(reports).hasSize(1);
        assertThat(reports.get(0)).startsWith("mesh-node-search-1 (" + logs.resolve("node.log") + "):")
                .contains("LEAK: ByteBuf.release() was not called", "Recent access records:").doesNotContain("started");
    }

    @Test
    void cleanLogsReportNothing() throws Exception {
        Map<String, Path> files = Map.of("registry", Files.writeString(logs.resolve("registry.log"), "LEAKY pipe in the story\n"));
        assertThat(MeshTopologyExtension.leakReports(files)).isEmpty();
    }
}
