package com.emotionmonitor.job.ops;

import java.util.Collection;
import java.util.List;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;

/**
 * The result of a shadowed post: completes the operator's {@link ResultFuture} once both the post's own label and the
 * shadow's have arrived (two requests to the batcher, answered by its worker in any order), with the shadow's label
 * attached to the event. The serving side's path stays as it is without a shadow: it completes this object instead of
 * the operator's future. A shadow that fails delivers null: the post keeps its event, without a comparison.
 */
final class ShadowJoin implements ResultFuture<ClassifiedPost> {

    private final ResultFuture<ClassifiedPost> target;
    private ClassifiedPost primary;
    private boolean primaryDone;
    private ShadowLabel shadow;
    private boolean shadowDone;

    ShadowJoin(ResultFuture<ClassifiedPost> target) {
        this.target = target;
    }

    @Override
    public void complete(Collection<ClassifiedPost> result) {
        ClassifiedPost done = result.iterator().next();
        boolean finish;
        synchronized (this) {
            primary = done;
            primaryDone = true;
            finish = shadowDone;
        }
        if (finish) {
            finish();
        }
    }

    @Override
    public void complete(CollectionSupplier<ClassifiedPost> supplier) {
        try {
            complete(supplier.get());
        } catch (Exception e) {
            completeExceptionally(e);
        }
    }

    /** The post itself could not be answered (the subtask stops): the shadow does not matter any more. */
    @Override
    public void completeExceptionally(Throwable error) {
        target.completeExceptionally(error);
    }

    /** The shadow's label, or null when it could not label the post. */
    void shadow(ShadowLabel label) {
        boolean finish;
        synchronized (this) {
            shadow = label;
            shadowDone = true;
            finish = primaryDone;
        }
        if (finish) {
            finish();
        }
    }

    private void finish() {
        if (primary.event != null) {
            primary.shadow = shadow;
        }
        target.complete(List.of(primary));
    }
}
