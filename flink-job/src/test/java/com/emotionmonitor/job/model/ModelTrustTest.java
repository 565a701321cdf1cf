package com.emotionmonitor.job.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ManifestSignature;
import com.emotionmonitor.testkit.TinyModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTrustTest {

    @Test
    void aLocationOutsideTheRootsIsRefusedEvenThroughALink(@TempDir Path elsewhere) throws Exception {
        Path store = TinyModelStore.root();
        ModelTrust trust = ModelTrust.of(store, List.of(), true, null);
        trust.checkLocation(TinyModelStore.dir("v1"));
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> trust.checkLocation(elsewhere.resolve("tiny/v1")));
        assertTrue(outside.getMessage().contains("outside the model store roots"), outside.getMessage());

        Path link = store.resolve("tiny").resolve("v-link-out");
        Files.createSymbolicLink(link, elsewhere);
        try {
            IllegalArgumentException viaLink = assertThrows(IllegalArgumentException.class, () -> trust.checkLocation(link));
            assertTrue(viaLink.getMessage().contains(elsewhere.toRealPath().toString()), viaLink.getMessage());
        } finally {
            Files.delete(link);
        }
        ModelTrust.of(store, List.of(elsewhere), true, null).checkLocation(elsewhere.resolve("tiny/v1")); // configured: fine
    }

    @Test
    void aCommandMustPinTheManifestUnlessTheSettingSaysOtherwise() {
        ModelTrust strict = ModelTrust.of(TinyModelStore.root(), List.of(), true, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> strict.checkPinned(""));
        assertTrue(e.getMessage().contains("model.require-sha256"), e.getMessage());
        strict.checkPinned("ab12");
        ModelTrust.of(TinyModelStore.root(), List.of(), false, null).checkPinned(null);
    }

    @Test
    void onlyVersionsSignedWithTheTeamsKeyServe(@TempDir Path keys) throws Exception {
        String[] team = ManifestSignature.generatePem();
        String[] other = ManifestSignature.generatePem();
        Path publicKey = Files.writeString(keys.resolve("team.pub.pem"), team[1]);
        ModelTrust trust = ModelTrust.of(TinyModelStore.root(), List.of(), true, publicKey);
        Path v1 = TinyModelStore.withManifest("v-signed", m -> m);

        ModelLoadException unsigned = assertThrows(ModelLoadException.class, () -> trust.checkSigned(v1, null));
        assertTrue(unsigned.getMessage().contains("is not signed"), unsigned.getMessage());

        ManifestSignature.sign(v1, other[0]);
        ModelLoadException wrongKey = assertThrows(ModelLoadException.class, () -> trust.checkSigned(v1, null));
        assertTrue(wrongKey.getMessage().contains("does not verify"), wrongKey.getMessage());

        ManifestSignature.sign(v1, team[0]);
        String sha = ArtifactFiles.sha256(v1.resolve(ArtifactFiles.MANIFEST));
        assertEquals(sha, trust.checkSigned(v1, sha));
        ArtifactFiles.verify(v1); // the signature file is not a stranger to the checksums
        ModelLoadException otherPin = assertThrows(ModelLoadException.class, () -> trust.checkSigned(v1, "00" + sha.substring(2)));
        assertTrue(otherPin.getMessage().contains("sha256 mismatch"), otherPin.getMessage());
    }
}
