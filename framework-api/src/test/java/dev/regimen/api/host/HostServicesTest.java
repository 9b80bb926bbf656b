package dev.regimen.api.host;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Without framework-core on the class path there is no host, and the error says where one comes from. */
class HostServicesTest {

  @Test
  void withoutTheCoreTheLookupNamesFrameworkCore() {
    IllegalStateException e = assertThrows(IllegalStateException.class, HostServices::get);
    assertTrue(e.getMessage().contains("framework-core") && e.getMessage().contains("test scope"), e.getMessage());
  }

  @Test
  void aFailedLookupIsTriedAgainNotCachedAsABrokenClass() {
    assertThrows(IllegalStateException.class, HostServices::get);
    assertThrows(IllegalStateException.class, HostServices::get, "the second call looks again");
  }
}
