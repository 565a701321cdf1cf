package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchPipelineCommandTest {

    @Test
    void theSpreadOfARatioIsItsMedianMinAndMaxOverTheRounds() {
        Map<String, Object> json = new LinkedHashMap<>();
        BenchPipelineCommand.putSpread(json, "fraction_of_ceiling", new double[] {0.95, 0.78, 0.9});
        assertEquals(Map.of("fraction_of_ceiling_median", 0.9, "fraction_of_ceiling_min", 0.78, "fraction_of_ceiling_max", 0.95),
                json);
        json.clear();
        BenchPipelineCommand.putSpread(json, "r", new double[] {4, 1, 2, 3});
        assertEquals(2.5, json.get("r_median"), "an even count: the mean of the middle two");
    }

    @Test
    void repeatsBelowOneAreRefusedBeforeAnythingRuns() {
        CliRun r = CliRun.run(2, "bench", "pipeline", "--repeats", "0");
        assertEquals("bench pipeline: --repeats must be at least 1, was 0", r.stderr().strip());
    }
}
