package org.jparallel.kernel.maven;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A Maven repository in a directory, in Maven's layout (POM, jar with pom.properties, SHA-1 files), served
 * over HTTP by the JDK's server on 127.0.0.1 when asked: what a remote repository looks like to Maven
 * Resolver, without the network. Counts the jar downloads it served.
 */
final class TestRepository implements AutoCloseable {

    private final Path root;
    private final AtomicInteger jarsServed = new AtomicInteger();
    private final AtomicBoolean proxied = new AtomicBoolean();
    private HttpServer server;

    TestRepository(Path root) {
        this.root = root;
    }

    /** Deploys {@code groupId:artifactId:version} depending on the given coordinates (compile scope). */
    TestRepository deploy(String coordinate, String... dependencies) throws IOException {
        String[] c = coordinate.split(":");
        Path dir = root.resolve(c[0].replace('.', '/')).resolve(c[1]).resolve(c[2]);
        Files.createDirectories(dir);
        StringBuilder deps = new StringBuilder();
        for (String d : dependencies) {
            String[] p = d.split(":");
            deps.append("<dependency><groupId>").append(p[0]).append("</groupId><artifactId>").append(p[1])
                    .append("</artifactId><version>").append(p[2]).append("</version></dependency>");
        }
        String pom = "<project><modelVersion>4.0.0</modelVersion><groupId>" + c[0] + "</groupId><artifactId>" + c[1]
                + "</artifactId><version>" + c[2] + "</version><dependencies>" + deps + "</dependencies></project>";
        write(dir.resolve(c[1] + "-" + c[2] + ".pom"), pom.getBytes(StandardCharsets.UTF_8));
        Path jar = dir.resolve(c[1] + "-" + c[2] + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/maven/" + c[0] + "/" + c[1] + "/pom.properties"));
            out.write(("groupId=" + c[0] + "\nartifactId=" + c[1] + "\nversion=" + c[2] + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        write(jar, Files.readAllBytes(jar));
        return this;
    }

    /** Deploys a POM-only artifact (a parent or a BOM) whose {@code <project>} also holds {@code body}. */
    TestRepository deployPom(String coordinate, String body) throws IOException {
        String[] c = coordinate.split(":");
        Path dir = Files.createDirectories(root.resolve(c[0].replace('.', '/')).resolve(c[1]).resolve(c[2]));
        write(dir.resolve(c[1] + "-" + c[2] + ".pom"), ("<project><modelVersion>4.0.0</modelVersion><groupId>" + c[0]
                + "</groupId><artifactId>" + c[1] + "</artifactId><version>" + c[2] + "</version><packaging>pom"
                + "</packaging>" + body + "</project>").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(bytes);
            Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), HexFormat.of().formatHex(sha1));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository as a file:// URL. */
    String fileUrl() {
        return root.toUri().toString();
    }

    /** Serves the repository over HTTP on 127.0.0.1 and returns its URL. */
    String serve() throws IOException {
        return serve(null, null);
    }

    /**
     * Serves the repository over HTTP on 127.0.0.1, to a client with these credentials only (basic
     * authentication) unless they are null, and returns its URL. Requests in a proxy's form (an absolute
     * URL: {@code GET http://elsewhere/path}) are answered by path as well, so the server is a proxy too.
     */
    String serve(String user, String password) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        HttpContext context = server.createContext("/", exchange -> {
            proxied.compareAndSet(false, exchange.getRequestURI().isAbsolute());
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            boolean found = file.startsWith(root) && Files.isRegularFile(file);
            byte[] body = found ? Files.readAllBytes(file) : new byte[0];
            if (found && file.toString().endsWith(".jar") && exchange.getRequestMethod().equals("GET")) {
                jarsServed.incrementAndGet();
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(found ? 200 : 404, head || !found ? -1 : body.length);
            if (found && !head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        if (user != null) {
            context.setAuthenticator(new BasicAuthenticator("repository") {
                @Override
                public boolean checkCredentials(String u, String p) {
                    return u.equals(user) && p.equals(password);
                }
            });
        }
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Whether a request came in a proxy's form. */
    boolean proxied() {
        return proxied.get();
    }

    /** How many jars were downloaded from the HTTP server. */
    int jarsServed() {
        return jarsServed.get();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
