package com.emotionmonitor.job.ops;

import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.EmotionEvent;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What the classify stage makes of one post: its {@link EmotionEvent}, or the {@link DeadLetter} that says why it has
 * none, and, when a shadow version labelled it too, the shadow's label for the comparison windows (never part of the
 * event). Async functions cannot use side outputs, so one record carries all three; {@link SplitClassified} routes
 * them. One object per post, as the {@code Either} it replaces was. A Flink POJO.
 */
public class ClassifiedPost {

    /** The event; null when the post could not be labelled. */
    public EmotionEvent event;
    /** Why the post has no event; null when it has one. */
    public DeadLetter deadLetter;
    /** The shadow version's label of the same post, or null (no shadow, or the shadow could not label it). */
    public ShadowLabel shadow;

    public ClassifiedPost() {}

    public static ClassifiedPost labelled(EmotionEvent event) {
        ClassifiedPost c = new ClassifiedPost();
        c.event = event;
        return c;
    }

    public static ClassifiedPost failed(DeadLetter deadLetter) {
        ClassifiedPost c = new ClassifiedPost();
        c.deadLetter = deadLetter;
        return c;
    }

    public boolean isLabelled() {
        return event != null;
    }

    public static TypeInformation<ClassifiedPost> type() {
        return TypeInformation.of(ClassifiedPost.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassifiedPost c && Objects.equals(c.event, event) && Objects.equals(c.deadLetter, deadLetter)
                && Objects.equals(c.shadow, shadow);
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, deadLetter, shadow);
    }

    @Override
    public String toString() {
        return event != null ? "Labelled[" + event.getPostId() + " " + event.getEmotion() + (shadow == null ? "" : ", " + shadow) + "]"
                : "Failed[" + (deadLetter == null ? null : deadLetter.getError()) + "]";
    }
}
