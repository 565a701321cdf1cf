package com.emotionmonitor.cli;

import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.model.Prediction;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/emotion classify [--model DIR] [--json] TEXT...} (or one text per line on standard input). */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Label texts with an emotion and the six probabilities (texts as arguments, or lines on stdin).")
public final class ClassifyCommand implements Callable<Integer> {

    private static final int BATCH = 64;

    @Mixin ModelOption modelOption;

    @Option(names = "--json", description = "One JSON object per line.") boolean json;

    @Parameters(arity = "0..*", paramLabel = "TEXT") List<String> texts;

    @Override
    public Integer call() throws Exception {
        try (EmotionModel model = EmotionModel.load(modelOption.resolve(), modelOption.device())) {
            if (texts != null && !texts.isEmpty()) {
                emit(model, texts);
                return 0;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            List<String> batch = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                batch.add(line);
                if (batch.size() == BATCH) {
                    emit(model, batch);
                    batch.clear();
                }
            }
            emit(model, batch);
        }
        return 0;
    }

    private void emit(EmotionModel model, List<String> batch) throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        List<Prediction> preds = model.classify(batch);
        ObjectMapper mapper = new ObjectMapper();
        for (int i = 0; i < batch.size(); i++) {
            Prediction p = preds.get(i);
            boolean empty = model.textPipeline().prepare(batch.get(i)).isEmpty();
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("text", batch.get(i));
                o.put("emotion", p.emotion().label());
                Map<String, Double> probs = new LinkedHashMap<>();
                for (Emotion e : Emotion.values()) {
                    probs.put(e.label(), Math.round(p.probabilities()[e.ordinal()] * 1e4) / 1e4);
                }
                o.put("probabilities", probs);
                o.put("empty_text", empty);
                o.put("model", model.manifest().name() + "/" + model.manifest().version());
                System.out.println(mapper.writeValueAsString(o));
            } else {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s %.2f  ", p.emotion().label(), p.confidence()));
                for (Emotion e : Emotion.values()) {
                    sb.append(String.format(Locale.ROOT, "%s=%.2f ", e.label(), p.probabilities()[e.ordinal()]));
                }
                sb.append(empty ? " (empty_text: nothing the model can read; NEUTRAL by rule) " : " ").append(batch.get(i));
                System.out.println(sb);
            }
        }
    }
}
