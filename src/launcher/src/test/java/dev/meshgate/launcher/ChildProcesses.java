package dev.meshgate.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Child JVMs and stand-in jars for launcher tests, built from this module's test classes. */
final class ChildProcesses {

    private ChildProcesses() {
    }

    static List<String> javaCommand(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Puts a jar running {@link FakeComponent} at every path the default topology expects under {@code home}. */
    static void installFakeJars(Path home) {
        Path jar = home.resolve("fake-component.jar");
        writeJar(jar, FakeComponent.class);
        for (String path : List.of("config-server/target/config-server.jar", "registry/target/registry.jar",
                "mesh-node/target/mesh-node.jar", "gateway/target/gateway.jar", "src/samples/target/samples.jar")) {
            try {
                Files.createDirectories(home.resolve(path).getParent());
                Files.copy(jar, home.resolve(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A runnable jar holding {@code main} and its nested classes. */
    static void writeJar(Path jar, Class<?> main) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        try {
            Path classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
            String packagePath = main.getPackageName().replace('.', '/');
            Path packageDir = classes.resolve(packagePath);
            Files.createDirectories(jar.getParent());
            try (OutputStream file = Files.newOutputStream(jar);
                 JarOutputStream out = new JarOutputStream(file, manifest);
                 Stream<Path> candidates = Files.list(packageDir)) {
                for (Path classFile : candidates.filter(path -> {
                    String name = path.getFileName().toString();
                    return name.equals(main.getSimpleName() + ".class") || name.startsWith(main.getSimpleName() + "$");
                }).toList()) {
                    out.putNextEntry(new JarEntry(packagePath + "/" + classFile.getFileName()));
                    try (InputStream in = Files.newInputStream(classFile)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
