package com.payments.dr.blocks;

import com.hashicorp.cdktf.AssetType;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.TerraformAsset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.constructs.Construct;

/**
 * A Lambda deployment package in the stack: one asset (cdktf copies the file into the synthesized
 * stack directory under its content hash), shared by the functions of both regions, with the path
 * and the source-code hash they reference, each read from jsii once.
 */
public final class FunctionPackage {

    private static final Map<List<Object>, String> HASHES = new ConcurrentHashMap<>();

    private final String path;
    private final String sourceCodeHash;

    public FunctionPackage(Construct scope, String id, Path file) {
        TerraformAsset asset = TerraformAsset.Builder.create(scope, id)
                .path(file.toAbsolutePath().toString())
                .type(AssetType.FILE)
                .assetHash(assetHash(file))
                .build();
        this.path = asset.getPath();
        // the package's own hash, so a plan shows a change exactly when the code changed
        this.sourceCodeHash = Fn.filebase64sha256(path);
    }

    /** The package's path in the synthesized stack directory, for a function's {@code filename}. */
    public String path() {
        return path;
    }

    /** Terraform's {@code filebase64sha256} of the package, for a function's {@code source_code_hash}. */
    public String sourceCodeHash() {
        return sourceCodeHash;
    }

    /**
     * The asset hash cdktf would compute itself (MD5 of the file, upper-case hex), computed here so
     * that {@code ./main} can do it while jsii's Node process loads instead of Node doing it during
     * construction (docs/performance.md). Remembered per file, size and modification time.
     */
    public static String assetHash(Path file) {
        // the path cdktf copies from (not normalized: through a symlink, a/.. may be another file)
        Path absolute = file.toAbsolutePath();
        try {
            List<Object> key = List.of(absolute, Files.size(absolute), Files.getLastModifiedTime(absolute));
            String hash = HASHES.get(key);
            if (hash == null) {
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                try (InputStream in = Files.newInputStream(absolute)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        md5.update(buffer, 0, n);
                    }
                }
                hash = HexFormat.of().withUpperCase().formatHex(md5.digest());
                HASHES.put(key, hash);
            }
            return hash;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read the function package " + absolute + ": " + e.getMessage(), e);
        }
    }
}
