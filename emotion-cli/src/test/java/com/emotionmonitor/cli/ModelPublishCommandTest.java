package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.testkit.TinyModelStore;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bin/emotion model publish}: checked, checksummed and immutable, run in-process through the real command tree. */
class ModelPublishCommandTest {

    @TempDir Path store;

    private int run(String... args) {
        CommandLine cli = EmotionCli.commandLine();
        cli.setErr(new PrintWriter(new StringWriter(), true));
        String[] all = new String[args.length + 2];
        all[0] = "model";
        all[1] = "publish";
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.execute(all);
    }

    @Test
    void publishesAVerifiedCopyUnderTheNewNameAndNeverReplacesIt() throws Exception {
        Path source = TinyModelStore.dir("v1");
        assertEquals(0, run(source.toString(), "--model-store", store.toString(), "--name", "weibo-emotion", "--version", "7"));
        Path published = store.resolve("weibo-emotion").resolve("7");
        ModelManifest manifest = ArtifactFiles.verify(published);
        assertEquals("weibo-emotion", manifest.name());
        assertEquals("7", manifest.version());
        assertEquals(ArtifactFiles.sha256(source.resolve("model.params")), manifest.files().get("model.params"));

        String before = ArtifactFiles.sha256(published.resolve(ArtifactFiles.MANIFEST));
        assertNotEquals(0, run(TinyModelStore.dir("v2").toString(), "--model-store", store.toString(), "--name", "weibo-emotion",
                "--version", "7"), "a published version is immutable");
        assertEquals(before, ArtifactFiles.sha256(published.resolve(ArtifactFiles.MANIFEST)));
    }

    @Test
    void aDamagedSourceIsNotPublished() {
        Path tampered = TinyModelStore.tampered("v-publish-tampered");
        assertNotEquals(0, run(tampered.toString(), "--model-store", store.toString(), "--version", "8"));
        assertFalse(Files.exists(store.resolve(TinyModelStore.NAME).resolve("8")));
        assertTrue(store.toFile().list().length <= 1, "nothing but perhaps the model directory");
    }
}
