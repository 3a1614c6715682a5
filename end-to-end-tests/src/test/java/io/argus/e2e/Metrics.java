package io.argus.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A service's Prometheus metrics, as {@code /q/metrics} exports them. */
final class Metrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Metrics() {
    }

    /**
     * The sum of every series of {@code name} whose labels contain each of {@code labelParts}
     * (e.g. {@code client_id="argus-inference"}); NaN when there is none.
     */
    static double sum(String baseUrl, String name, String... labelParts) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        boolean found = false;
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            boolean all = true;
            for (String part : labelParts) {
                all &= series.contains(part);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(space + 1));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }
}
