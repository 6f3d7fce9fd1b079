package io.igw.e2e;

import io.igw.controller.model.ResponsePhase;

/**
 * Every conformance mirror again with {@code --epp-response-phase report} (the default): NGINX
 * proxies bridged pools directly, the served endpoint still reaches the EPP (from the completion
 * record), and the EPP's response-phase header cannot reach the client, which sees the request
 * phase's value instead.
 */
class ConformanceScenariosReportModeTest extends ConformanceScenariosTest {
  @Override
  ResponsePhase.Mode responsePhase() {
    return ResponsePhase.Mode.REPORT;
  }
}
