package io.igw.picker.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class TenantKeyTest {
  private final TenantKey key = TenantKey.defaults();

  private static MultiMap headers(String... pairs) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      map.add(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void aPlainFairnessIdIsTheTenant() {
    assertEquals("free-tier", key.of(headers("x-gateway-inference-fairness-id", "free-tier")));
    assertEquals("team/a@b:1", key.of(headers("X-Gateway-Inference-Fairness-Id", "team/a@b:1")));
  }

  @Test
  void withoutAHeaderTheBearerTokenIsHashedNeverKept() {
    String tenant = key.of(headers("authorization", "Bearer sk-secret-123"));
    assertTrue(tenant.matches("key-[0-9a-f]{16}"), tenant);
    assertFalse(tenant.contains("secret"));
    assertEquals(tenant, key.of(headers("Authorization", "bearer sk-secret-123")));
    assertNotEquals(tenant, key.of(headers("authorization", "Bearer sk-secret-124")));
  }

  @Test
  void hostileHeaderValuesAreHashedNotPassedOn() {
    String huge = "a".repeat(10_000);
    String control = "tenant\r\nx-evil: 1";
    assertTrue(key.of(headers(TenantKey.DEFAULT_HEADER, huge)).matches("id-[0-9a-f]{16}"));
    assertTrue(key.of(headers(TenantKey.DEFAULT_HEADER, control)).matches("id-[0-9a-f]{16}"));
    // a client cannot pose as another's hashed key
    String victim = key.of(headers("authorization", "Bearer victim"));
    assertNotEquals(victim, key.of(headers(TenantKey.DEFAULT_HEADER, victim)));
  }

  @Test
  void nothingNamedIsTheDefaultTenant() {
    assertEquals(TenantKey.DEFAULT, key.of(headers()));
    assertEquals(TenantKey.DEFAULT, key.of(null));
    assertEquals(TenantKey.DEFAULT, key.of(headers("authorization", "Basic abc")));
    assertEquals("acme", new TenantKey("x-tenant").of(headers("x-tenant", "acme")));
  }
}
