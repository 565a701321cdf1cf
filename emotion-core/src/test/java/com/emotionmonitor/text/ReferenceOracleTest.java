package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/**
 * Random posts built from the fragments the rules react to (and the characters where Python's and Java's regexes
 * disagree), cleaned by the Python oracle {@code reference-oracle/reference_oracle.py}: Python's own {@code re} on
 * the reference patterns, a port that reproduces all four reference files. Covers inputs the data never shows.
 */
class ReferenceOracleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, UnaryOperator<String>> STEPS = Map.of(
            "zero_width", ZeroWidthRemover::apply,
            "html_tags", HtmlTagRemover::apply,
            "harvest_url", HarvestTextUrlRemover::apply,
            "email", EmailRemover::apply,
            "weibo_mention", WeiboMentionRemover::apply,
            "collapse_whitespace", PythonText::collapseWhitespace,
            "stop_term", s -> s.replace(WeiboTextCleaner.STOP_TERM, ""),
            "strip", PythonText::strip,
            "script_url", ScriptUrlRemover::apply);

    @Test
    void wholePipelineMatchesThePythonReference() throws IOException {
        List<JsonNode> cases = read("pipeline_cases.jsonl");
        assertEquals(2000, cases.size());
        List<String> failures = new ArrayList<>();
        for (JsonNode c : cases) {
            String raw = c.get("raw").asText();
            String actual = WeiboTextCleaner.reference().clean(raw);
            if (!actual.equals(c.get("clean").asText())) {
                failures.add(JSON.writeValueAsString(raw) + " -> " + JSON.writeValueAsString(actual)
                        + ", python: " + JSON.writeValueAsString(c.get("clean").asText()));
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " differ, e.g.\n" + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }

    @Test
    void everyRuleAloneMatchesPythonsRegex() throws IOException {
        Map<String, Integer> perStep = new HashMap<>();
        List<String> failures = new ArrayList<>();
        for (JsonNode c : read("step_cases.jsonl")) {
            String step = c.get("step").asText();
            UnaryOperator<String> rule = STEPS.get(step);
            assertNotNull(rule, "no Java rule for step " + step);
            perStep.merge(step, 1, Integer::sum);
            String in = c.get("in").asText();
            String actual = rule.apply(in);
            if (!actual.equals(c.get("out").asText())) {
                failures.add(step + ": " + JSON.writeValueAsString(in) + " -> " + JSON.writeValueAsString(actual)
                        + ", python: " + JSON.writeValueAsString(c.get("out").asText()));
            }
        }
        assertEquals(STEPS.keySet(), perStep.keySet(), "every rule has cases");
        assertTrue(failures.isEmpty(), failures.size() + " differ, e.g.\n" + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }

    private static List<JsonNode> read(String name) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = ReferenceOracleTest.class.getResourceAsStream("reference-oracle/" + name)) {
            assertNotNull(in, "missing test resource reference-oracle/" + name);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }
}
