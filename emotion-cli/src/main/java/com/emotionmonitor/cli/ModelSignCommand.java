package com.emotionmonitor.cli;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ManifestSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/emotion model sign NAME VERSION --private-key FILE}: the team's signature on a published version. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Sign a published version's manifest.json with the team's Ed25519 private key (PEM): writes"
                + " manifest.json.sig beside it. A job with model.trusted-key serves only versions whose signature verifies."
                + " The version's checksums are verified first: a damaged version is never signed.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:signed", "2:no such version, a damaged version, or not an Ed25519 private key"})
public final class ModelSignCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VERSION") String version;

    @Option(names = "--private-key", required = true, paramLabel = "FILE", description = "Ed25519 private key, PEM (PKCS#8).")
    Path privateKey;

    @Option(names = "--model-store", paramLabel = "DIR", description = "Model store root (default: <project>/model-store).")
    Path modelStore;

    @Override
    public Integer call() throws Exception {
        Path dir = (modelStore != null ? modelStore : ProjectPaths.modelStore()).resolve(name).resolve(version);
        ArtifactFiles.verify(dir);
        String pem = Files.readString(ProjectPaths.requireFile(privateKey, "--private-key"));
        Path sig;
        try {
            sig = ManifestSignature.sign(dir, pem);
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--private-key " + privateKey.toAbsolutePath() + " is not an Ed25519 private key"
                    + " (PEM 'PRIVATE KEY'): " + e.getMessage(), e);
        }
        System.out.println(sig.toAbsolutePath());
        return 0;
    }
}
