package io.igw.api.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate made when the test runs (valid from a day before the machine's clock to
 * a day after), for {@code 127.0.0.1} and {@code localhost}: nothing committed expires or starts in
 * the future on another machine. One per JVM, written once under a temporary folder.
 */
public final class TestCertificates {
  /** PEM files of one certificate and its PKCS#8 key. */
  public record Pem(Path cert, Path key) {
    public String certBase64() {
      return base64(cert);
    }

    public String keyBase64() {
      return base64(key);
    }

    private static String base64(Path file) {
      try {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final java.util.Map<String, Pem> BY_CN = new java.util.HashMap<>();

  private TestCertificates() {}

  /** The JVM's self-signed certificate for CN {@code cn}, made on first use. */
  public static synchronized Pem selfSigned(String cn) {
    return BY_CN.computeIfAbsent(
        cn,
        name -> {
          try {
            return create(name, Files.createTempDirectory("igw-test-cert-"));
          } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a test certificate", e);
          }
        });
  }

  static Pem create(String cn, Path dir)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048, new SecureRandom());
    KeyPair keys = generator.generateKeyPair();
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=" + cn);
    X509CertificateHolder cert =
        new JcaX509v3CertificateBuilder(
                name,
                new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                name,
                keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(
                    new GeneralName[] {
                      new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                      new GeneralName(GeneralName.dNSName, "localhost")
                    }))
            .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
    Path certFile = dir.resolve("cert.pem");
    Path keyFile = dir.resolve("key.pem");
    Files.writeString(certFile, pem(cert), StandardCharsets.US_ASCII);
    Files.writeString(
        keyFile,
        pem(
            new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null)
                .generate()),
        StandardCharsets.US_ASCII);
    return new Pem(certFile, keyFile);
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
