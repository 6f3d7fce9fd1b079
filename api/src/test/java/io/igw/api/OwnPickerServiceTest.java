package io.igw.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.InferencePoolSpec.EndpointPickerRef;
import io.igw.api.InferencePoolSpec.Port;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OwnPickerServiceTest {
  @ParameterizedTest(name = "own={0} ref={1} in {2}: {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        "igw-picker,      null,       team-a, true",
        "null,            null,       team-a, true",
        "igw-picker,      igw-picker, team-a, true",
        "team-a/epp,      epp,        team-a, true",
        "team-a/epp,      epp,        team-b, false",
        "igw-picker,      test-epp,   team-a, false",
        "null,            igw-picker, team-a, false",
        "igw-picker,      '',         team-a, false"
      })
  void decidesWhetherARefLeavesThePoolToIgwsPicker(
      String own, String refName, String namespace, boolean ours) {
    EndpointPickerRef ref =
        refName == null
            ? null
            : new EndpointPickerRef(null, "Service", refName, new Port(9002), null);
    assertThat(OwnPickerService.picks(own, namespace, ref)).isEqualTo(ours);
  }

  @ParameterizedTest
  @CsvSource({"igw-picker", "team-a/igw-picker"})
  void aRefWithoutANameIsNeverOurs(String own) {
    assertThat(
            OwnPickerService.picks(
                own, "team-a", new EndpointPickerRef(null, null, null, null, null)))
        .isFalse();
  }
}
