package com.emotionmonitor.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventTallyTest {

    private static final PostIds IDS = new PostIds("smoke-1-", 10, 3);

    @Test
    void everyExpectedIdOnceIsExactlyOnce() {
        EventTally tally = new EventTally(IDS);
        tally.add("smoke-1-10", "m/1");
        tally.add("smoke-1-12", "m/1");
        assertFalse(tally.allSeen());
        assertEquals(1, tally.missing());
        tally.add("smoke-1-11", "m/1");
        assertTrue(tally.allSeen());
        assertTrue(tally.exactlyOnce());
        assertTrue(tally.toJson().contains("\"events_out\":3,\"unique\":3,\"duplicates\":0,\"missing\":0"), tally.toJson());
    }

    @Test
    void aRepeatedIdIsADuplicate() {
        EventTally tally = new EventTally(IDS);
        for (String id : new String[] {"smoke-1-10", "smoke-1-11", "smoke-1-11", "smoke-1-12"}) {
            tally.add(id, "m/1");
        }
        assertTrue(tally.allSeen());
        assertFalse(tally.exactlyOnce());
        assertTrue(tally.toJson().contains("\"events_out\":4,\"unique\":3,\"duplicates\":1"), tally.toJson());
    }

    @Test
    void idsOutsideTheRangeAreUnexpectedAndOtherPrefixesIgnored() {
        EventTally tally = new EventTally(IDS);
        for (String id : new String[] {"smoke-1-10", "smoke-1-11", "smoke-1-12", "smoke-1-13", "smoke-2-10", "smoke-1-x"}) {
            tally.add(id, "m/1");
        }
        assertFalse(tally.exactlyOnce());
        assertTrue(tally.toJson().contains("\"unexpected\":1,\"undecodable\":0,\"other_runs\":2"), tally.toJson());
    }

    @Test
    void anUndecodableRecordFailsTheAudit() {
        EventTally tally = new EventTally(IDS);
        tally.add("smoke-1-10", "m/1");
        tally.add("smoke-1-11", "m/2");
        tally.add("smoke-1-12", "m/2");
        tally.addUndecodable();
        assertFalse(tally.exactlyOnce());
        assertTrue(tally.toJson().contains("\"model_versions\":{\"m/1\":1,\"m/2\":2}"), tally.toJson());
    }

    @Test
    void throughputSpansTheFirstToTheLastLabelling() {
        EventTally tally = new EventTally(IDS);
        tally.add("smoke-1-10", "m/1", 1_000);
        tally.add("smoke-1-11", "m/1", 3_000);
        tally.add("smoke-1-12", "m/1", 2_000);
        tally.add("smoke-2-10", "m/1", 60_000);
        assertEquals(2.0, tally.processingSeconds(), 1e-9);
        assertTrue(tally.toJson().contains("\"processing_seconds\":2.0,\"events_per_second\":1.5"), tally.toJson());
    }

    @Test
    void withoutTimestampsThereIsNoThroughput() {
        EventTally tally = new EventTally(IDS);
        tally.add("smoke-1-10", "m/1");
        assertEquals(0, tally.processingSeconds());
        assertTrue(tally.toJson().contains("\"events_per_second\":null"), tally.toJson());
    }

    @Test
    void idsParseOnlyWithTheirPrefixAndDigits() {
        assertEquals(12, IDS.indexOf("smoke-1-12"));
        assertEquals(-1, IDS.indexOf("smoke-1-"));
        assertEquals(-1, IDS.indexOf("smoke-1-1a"));
        assertEquals(-1, IDS.indexOf("smoke-10"));
        assertEquals(-1, IDS.indexOf(null));
        assertThrows(IllegalArgumentException.class, () -> new PostIds("", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PostIds("p", -1, 1));
    }
}
