package com.emotionmonitor.job.model;

import com.emotionmonitor.schema.ModelRole;
import com.emotionmonitor.schema.ModelTrigger;

/** What a candidate version does with its sampled posts while the serving version labels the rest. */
public enum RolloutMode {
    /** Labels the sampled posts too; only compared with the serving version's labels, never written as events. */
    SHADOW,
    /** Labels and stamps the sampled posts instead of the serving version. */
    CANARY;

    public ModelRole role() {
        return this == SHADOW ? ModelRole.SHADOW : ModelRole.CANARY;
    }

    public ModelTrigger trigger() {
        return this == SHADOW ? ModelTrigger.SHADOW : ModelTrigger.CANARY;
    }
}
