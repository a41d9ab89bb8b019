package io.ttsmesh.mesh.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services' own counters, read from their Prometheus endpoints (/q/metrics): tokens the generator generated
 * and prefilled, candidates the verifier scored. A search's reported spend is checked against their deltas.
 */
record ServiceCounters(double generatedTokens, double prefillTokens, double verifierScored) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The counters of one task's generator and verifier. */
    static ServiceCounters read(LocalMesh mesh, String task) {
        String generator = metrics(mesh.httpBase(MeshService.GENERATOR, task));
        String verifier = metrics(mesh.httpBase(MeshService.VERIFIER, task));
        return new ServiceCounters(sum(generator, "tts_generator_generated_tokens_total", ""),
                sum(generator, "tts_generator_prefill_tokens_total", ""),
                sum(verifier, "tts_verifier_candidates_total", "outcome=\"scored\""));
    }

    ServiceCounters minus(ServiceCounters before) {
        return new ServiceCounters(generatedTokens - before.generatedTokens, prefillTokens - before.prefillTokens,
                verifierScored - before.verifierScored);
    }

    private static String metrics(URI base) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(base + "q/metrics answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(base + "q/metrics unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sum over every series of {@code name} whose labels contain {@code labelFilter}; 0 when none yet. */
    private static double sum(String body, String name, String labelFilter) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(body);
        double total = 0;
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labels.contains(labelFilter)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
