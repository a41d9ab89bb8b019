package io.ttsmesh.bench.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A question of the held-out set (models/eval/heldout.jsonl); the expected answer is kept for the record only. */
record HeldOutQuestion(String id, String question, String answer) {

    /** {@code count} questions drawn without replacement, the same for the same seed. */
    static List<HeldOutQuestion> sample(Path file, int count, long seed) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("--questions must be >= 1, got " + count);
        }
        ObjectMapper json = new ObjectMapper();
        List<HeldOutQuestion> all = new ArrayList<>();
        int line = 0;
        for (String text : Files.readAllLines(file)) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode n = json.readTree(text);
            if (!n.hasNonNull("id") || !n.hasNonNull("question")) {
                throw new IllegalArgumentException(file + ":" + line + ": needs \"id\" and \"question\"");
            }
            all.add(new HeldOutQuestion(n.get("id").asText(), n.get("question").asText(),
                    n.hasNonNull("answer") ? n.get("answer").asText() : null));
        }
        if (count > all.size()) {
            throw new IllegalArgumentException("--questions " + count + " exceeds the " + all.size() + " questions of " + file);
        }
        Collections.shuffle(all, new Random(seed));
        return List.copyOf(all.subList(0, count));
    }
}
