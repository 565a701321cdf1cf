package com.emotionmonitor.job.ops;

import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.store.ModelKey;
import java.util.Objects;

/** A shadow version's label of a post, carried beside the post's event to the comparison windows. A Flink POJO. */
public class ShadowLabel {

    public String modelName;
    public String modelVersion;
    /** Ordinal of the wire {@link com.emotionmonitor.schema.Emotion}. */
    public int emotion;
    /** The shadow's probability of {@link #emotion}. */
    public float confidence;
    /** The shadow's pipeline left nothing of the text: NEUTRAL by rule, as the serving side does. */
    public boolean emptyText;

    public ShadowLabel() {}

    public ShadowLabel(String modelName, String modelVersion, int emotion, float confidence, boolean emptyText) {
        this.modelName = modelName;
        this.modelVersion = modelVersion;
        this.emotion = emotion;
        this.confidence = confidence;
        this.emptyText = emptyText;
    }

    static ShadowLabel of(ModelKey key, Prediction p) {
        return new ShadowLabel(key.name(), key.version(), p.emotion().ordinal(), p.probabilities()[p.emotion().ordinal()], false);
    }

    static ShadowLabel emptyText(ModelKey key) {
        Prediction rule = Prediction.emptyText();
        return new ShadowLabel(key.name(), key.version(), rule.emotion().ordinal(), 1f, true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShadowLabel l && l.emotion == emotion && l.confidence == confidence && l.emptyText == emptyText
                && Objects.equals(l.modelName, modelName) && Objects.equals(l.modelVersion, modelVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelName, modelVersion, emotion, confidence, emptyText);
    }

    @Override
    public String toString() {
        return "ShadowLabel[" + modelName + "/" + modelVersion + " " + emotion + " " + confidence + (emptyText ? " empty" : "") + "]";
    }
}
