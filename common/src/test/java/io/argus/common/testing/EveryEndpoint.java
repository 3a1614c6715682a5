package io.argus.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.json.Json;

/**
 * Walks every endpoint a running service has, as its OpenAPI document lists them (so a new
 * endpoint cannot be left out), with access control on, and checks each against the table of
 * {@code docs/access.md}: without a key and with an unknown one, 401 with a {@code Bearer}
 * challenge; with a key of each role that may not, 403; with a key of each role that may, the
 * request gets past access control (whatever it then answers to a made-up id or body). An endpoint
 * the table does not name, or a row of the table the service does not have, is a failure too.
 *
 * <p>Every content type an endpoint accepts is tried (a multipart variant of a JSON endpoint is a
 * second door). Returns the problems found, one line each, so one run shows them all.
 */
public final class EveryEndpoint {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BOUNDARY = "argus-walk-boundary";

    private final URI root;
    private final String service;
    private final Map<String, String> jsonBodies = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private int requests;

    /**
     * @param root the service's base URL, ending in "/"
     * @param service its name in the table ("ingest", "inference", "trainer")
     */
    public EveryEndpoint(URI root, String service) {
        this.root = root;
        this.service = service;
    }

    /**
     * The JSON body sent to an endpoint ("POST /api/training-runs") instead of {@code {}}, e.g. one
     * it refuses, so that a role that may call it does not start real work.
     */
    public EveryEndpoint withJsonBody(String endpoint, String body) {
        jsonBodies.put(endpoint, body);
        return this;
    }

    /** The problems found, one line each; empty when the service keeps the table. */
    public List<String> walk() throws IOException, InterruptedException {
        List<AccessTable.Rule> table = AccessTable.ofTheRepository().stream().filter(r -> r.appliesTo(service))
                .toList();
        Map<String, List<String>> api = operations();

        Set<String> documented = table.stream().filter(r -> r.path().startsWith("/api/")).map(AccessTable.Rule::endpoint)
                .collect(Collectors.toCollection(TreeSet::new));
        for (String endpoint : api.keySet()) {
            if (!documented.contains(endpoint)) {
                problems.add(endpoint + ": the service has it, docs/access.md does not say who may call it");
            }
        }
        for (String endpoint : documented) {
            if (!api.containsKey(endpoint)) {
                problems.add(endpoint + ": in docs/access.md, but the service has no such endpoint");
            }
        }

        for (AccessTable.Rule rule : table) {
            if (!rule.path().startsWith("/api/")) {
                // Probes, metrics, the API description, the desk's page: open.
                int status = send(rule.method(), rule.path(), null, null, null).statusCode();
                if (status == 401 || status == 403) {
                    problems.add(rule.endpoint() + ": should be open, answered " + status + " without a key");
                }
                continue;
            }
            List<String> contentTypes = api.get(rule.endpoint());
            if (contentTypes == null) {
                continue;
            }
            for (String contentType : contentTypes) {
                check(rule, contentType);
            }
        }
        if (requests == 0) {
            problems.add("no request was sent: nothing was walked");
        }
        return problems;
    }

    private void check(AccessTable.Rule rule, String contentType) throws IOException, InterruptedException {
        String door = rule.endpoint() + (contentType == null ? "" : " (" + contentType + ")");
        HttpResponse<String> noKey = send(rule, contentType, null);
        if (noKey.statusCode() != 401) {
            problems.add(door + ": without a key answered " + noKey.statusCode() + ", not 401");
        } else if (!noKey.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")) {
            problems.add(door + ": 401 without a 'WWW-Authenticate: Bearer' challenge");
        } else if (!noKey.body().contains("\"UNAUTHORIZED\"")) {
            problems.add(door + ": 401 without the error body (code UNAUTHORIZED): " + noKey.body());
        }
        int unknown = send(rule, contentType, "not-a-key-of-this-service-0123").statusCode();
        if (unknown != 401) {
            problems.add(door + ": with an unknown key answered " + unknown + ", not 401");
        }
        for (Map.Entry<String, String> key : new TreeMap<>(TestKeys.KEYS).entrySet()) {
            HttpResponse<String> response = send(rule, contentType, key.getValue());
            int status = response.statusCode();
            if (rule.roles().contains(key.getKey())) {
                if (status == 401 || status == 403) {
                    problems.add(door + ": role " + key.getKey() + " may, but was answered " + status);
                }
            } else if (status != 403 || !response.body().contains("\"FORBIDDEN\"")) {
                problems.add(door + ": role " + key.getKey() + " may not, but was answered " + status
                        + (status == 403 ? " without the error body (code FORBIDDEN)" : ", not 403"));
            }
        }
    }

    /** "METHOD /path" to the content types its request body may have ([null] for none). */
    private Map<String, List<String>> operations() throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "/q/openapi?format=json", null, null, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the OpenAPI document answered " + response.statusCode());
        }
        JsonNode paths = Json.mapper().readTree(response.body()).path("paths");
        Map<String, List<String>> operations = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext();) {
            Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext();) {
                Map.Entry<String, JsonNode> operation = o.next();
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                if (!Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                List<String> types = new ArrayList<>();
                operation.getValue().path("requestBody").path("content").fieldNames().forEachRemaining(types::add);
                if (types.isEmpty()) {
                    types.add(null);
                }
                operations.put(method + " " + path.getKey(), types);
            }
        }
        return operations;
    }

    private HttpResponse<String> send(AccessTable.Rule rule, String contentType, String key)
            throws IOException, InterruptedException {
        String path = rule.path().replace("{version}", "999999").replaceAll("\\{[^}]+}", "walk-none");
        byte[] body = null;
        String type = contentType;
        if (contentType != null) {
            if (contentType.equals("application/json")) {
                body = jsonBodies.getOrDefault(rule.endpoint(), "{}").getBytes(StandardCharsets.UTF_8);
            } else if (contentType.equals("multipart/form-data")) {
                body = multipart();
                type = "multipart/form-data; boundary=" + BOUNDARY;
            } else {
                // An image (image/*, */*, application/octet-stream).
                body = png();
                type = contentType.contains("*") ? "image/png" : contentType;
            }
        }
        return send(rule.method(), path, type, body, key);
    }

    private HttpResponse<String> send(String method, String path, String contentType, byte[] body, String key)
            throws IOException, InterruptedException {
        requests++;
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path.substring(1)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] png() throws IOException {
        return FashionMnist.loadSubset().test().png(7);
    }

    private static byte[] multipart() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String file = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"walk.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n";
        out.write(file.getBytes(StandardCharsets.UTF_8));
        out.write(png());
        out.write(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nBag\r\n--"
                + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
