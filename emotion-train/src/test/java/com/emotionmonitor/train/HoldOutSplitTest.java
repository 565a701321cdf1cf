package com.emotionmonitor.train;

import com.emotionmonitor.data.SharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HoldOutSplitTest {

    @Test
    void virusTrainSplitsIntoATenthByContentWithDuplicatesOnOneSide() throws Exception {
        List<LabeledPost> posts = JsonlPostReader.readAll(SharedData.locate().resolve("smp2020-ewect/virus_train.jsonl"), OnError.FAIL)
                .posts();
        HoldOutSplit.Parts parts = HoldOutSplit.split(posts);
        List<LabeledPost> dev = parts.heldOut();
        List<LabeledPost> kept = parts.kept();
        assertEquals(posts.size(), dev.size() + kept.size());
        // The counts this rule gives (the same rule in Python: int(sha256(content).hexdigest(), 16) % 10 == 0).
        assertEquals(927, dev.size());
        assertEquals(7679, kept.size());
        Set<String> devTexts = new HashSet<>();
        dev.forEach(p -> devTexts.add(p.content()));
        assertTrue(kept.stream().noneMatch(p -> devTexts.contains(p.content())), "a duplicated text must not straddle the split");
    }

    @Test
    void theRuleDependsOnTheTextAlone() {
        String text = "武汉加油";
        boolean first = HoldOutSplit.isHeldOut(text);
        assertEquals(first, HoldOutSplit.isHeldOut(new String(text.toCharArray())));
        assertEquals(first, HoldOutSplit.split(List.of(new LabeledPost("1", text, "happy", 1))).heldOut().size() == 1);
    }
}
