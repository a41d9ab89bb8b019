package io.ttsmesh.generator.openai;

import java.util.HashMap;
import java.util.Map;

/** The Qwen2-shaped fixture with a model stop string ("boxe", which its greedy answer contains). */
public class ModelStopProfile extends Qwen2FixtureProfile {

    static final String STOP = "boxe";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("tts.generator.openai.stop", STOP);
        return overrides;
    }
}
