package com.emotionmonitor.model.nn;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.OfflineDefaults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.model.nn.MalformedWeightsException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.Pair;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockWeightsTest {

    static {
        OfflineDefaults.apply();
    }

    private static final BertConfig ARCH = BertConfig.of(40, 1, 16, 2);
    private static NDManager manager;
    private static EmotionClassifierBlock trained;

    @BeforeAll
    static void randomBlock() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch");
        trained = new EmotionClassifierBlock(ARCH);
        trained.setInitializer(new TruncatedNormalInitializer(0.5f), Parameter.Type.WEIGHT);
        trained.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static EmotionClassifierBlock fresh(BertConfig arch) {
        EmotionClassifierBlock b = new EmotionClassifierBlock(arch);
        b.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
        return b;
    }

    private static List<float[]> values(EmotionClassifierBlock b) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : b.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void float32RoundTripsExactlyAndFloat16WithinItsPrecisionAtHalfTheSize(@TempDir Path dir) throws Exception {
        Path f32 = BlockWeights.write(trained, dir.resolve("f32.params"), WeightFormat.F32);
        Path f16 = BlockWeights.write(trained, dir.resolve("f16.params"), WeightFormat.F16);
        assertEquals(WeightFormat.F32, BlockWeights.formatOf(f32));
        assertEquals(WeightFormat.F16, BlockWeights.formatOf(f16));
        assertTrue(Files.size(f16) < 0.55 * Files.size(f32), Files.size(f16) + " vs " + Files.size(f32));

        EmotionClassifierBlock exact = fresh(ARCH);
        BlockWeights.load(exact, manager, f32);
        EmotionClassifierBlock half = fresh(ARCH);
        BlockWeights.load(half, manager, f16);
        List<float[]> want = values(trained);
        List<float[]> gotExact = values(exact);
        List<float[]> gotHalf = values(half);
        boolean anyRounded = false;
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), gotExact.get(i));
            for (int k = 0; k < want.get(i).length; k++) {
                float w = want.get(i)[k];
                assertEquals(w, gotHalf.get(i)[k], Math.abs(w) / 1024 + 1e-7f, "float16 keeps 11 significant bits");
                anyRounded |= w != gotHalf.get(i)[k];
            }
        }
        assertTrue(anyRounded, "float16 really rounds: the check above is not vacuous");
    }

    @Test
    void djlsOwnFormatStillLoads(@TempDir Path dir) throws Exception {
        Path djl = dir.resolve("djl.params");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(djl)))) {
            trained.saveParameters(out);
        }
        assertEquals(WeightFormat.F32, BlockWeights.formatOf(djl));
        EmotionClassifierBlock loaded = fresh(ARCH);
        BlockWeights.load(loaded, manager, djl);
        for (int i = 0; i < values(trained).size(); i++) {
            assertArrayEquals(values(trained).get(i), values(loaded).get(i));
        }
    }

    @Test
    void aFileThatIsNoParameterFileAtAllIsRefusedWithTheFileAndWhatWasFound(@TempDir Path dir) throws Exception {
        Path garbage = dir.resolve("model.params");
        Files.writeString(garbage, "these are not weights");
        MalformedWeightsException e = assertThrows(MalformedWeightsException.class, () -> BlockWeights.load(fresh(ARCH), manager, garbage));
        assertTrue(e.getMessage().contains(garbage.toString()) && e.getMessage().contains("21 bytes")
                && !e.getMessage().contains("null"), e.getMessage());

        Path djl = dir.resolve("djl.params");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(djl)))) {
            trained.saveParameters(out);
        }
        byte[] whole = Files.readAllBytes(djl);
        Files.write(djl, java.util.Arrays.copyOf(whole, whole.length / 2)); // truncated: DJL's EOF has no message
        MalformedWeightsException cut = assertThrows(MalformedWeightsException.class, () -> BlockWeights.load(fresh(ARCH), manager, djl));
        assertTrue(cut.getMessage().contains(djl.toString()) && cut.getMessage().contains("Exception"), cut.getMessage());
    }

    @Test
    void aDamagedFileOrAnotherArchitectureIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = BlockWeights.write(trained, dir.resolve("w.params"), WeightFormat.F16);
        byte[] good = Files.readAllBytes(file);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x04;
        Files.write(file, flipped);
        MalformedWeightsException e = assertThrows(MalformedWeightsException.class, () -> BlockWeights.load(fresh(ARCH), manager, file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("CRC32"), e.getMessage());

        Files.write(file, good);
        BertConfig wider = BertConfig.of(40, 1, 32, 2);
        assertNotEquals(ARCH, wider);
        e = assertThrows(MalformedWeightsException.class, () -> BlockWeights.load(fresh(wider), manager, file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("where the block has"), e.getMessage());
    }
}
