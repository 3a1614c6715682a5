package io.argus.tools.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

import sun.misc.Unsafe;

/**
 * Stands in for a packaged service in {@link InferenceProcessTest}: started by the same command
 * line ({@code java -Dquarkus.http.port=... -jar app}), it fails in the way {@code -Dfake.mode} says.
 */
public final class FakeService {

    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        String mode = System.getProperty("fake.mode", "ready");
        int port = Integer.getInteger("quarkus.http.port");
        switch (mode) {
            case "exit" -> {
                System.out.println("starting the fake service");
                System.err.println("Argus cannot start: the fake service is misconfigured");
                System.exit(3);
            }
            case "failed-log" -> {
                // As Quarkus logs a start-up failure, before the JVM has gone (shutdown can take long).
                System.out.println("ERROR [io.quarkus.runtime.Application] Failed to start application");
                System.out.println("the fake service is broken");
                Thread.sleep(120_000);
            }
            case "http500" -> {
                // Up, but every readiness probe is a server error: how the services answered when
                // access control was on without a keys file.
                serve(port, 500, "argus.security.enabled=true but argus.security.keys-file is not set");
                System.out.println("ERROR the fake service failed a request");
                Thread.sleep(120_000);
            }
            case "memory" -> {
                // Resident memory that comes and goes before the service is ready: its peak must
                // still show once RSS is back down.
                long bytes = Long.getLong("fake.mib") << 20;
                Field field = Unsafe.class.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                Unsafe unsafe = (Unsafe) field.get(null);
                long address = unsafe.allocateMemory(bytes);
                for (long page = 0; page < bytes; page += 4096) {
                    unsafe.putByte(address + page, (byte) 1);
                }
                unsafe.freeMemory(address); // malloc'd this large, it is mapped, and unmapped here
                serve(port, 200, "{\"status\":\"UP\"}");
                System.out.println("Loaded fake model, " + (bytes >> 20) + " MiB touched and freed");
                Thread.sleep(120_000);
            }
            default -> {
                serve(port, 200, "{\"status\":\"UP\"}");
                System.out.println("Loaded fake model");
                Thread.sleep(120_000);
            }
        }
    }

    private static void serve(int port, int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/q/health/ready", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }
}
