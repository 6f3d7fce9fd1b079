package io.igw.simulator.http;

import io.igw.simulator.engine.GenerationListener;
import io.igw.simulator.engine.GenerationResult;
import io.igw.simulator.engine.SubmittedRequest;
import io.vertx.core.http.HttpConnection;

/** The crash fault: passes the first tokens through, then drops the connection mid-response. */
final class CrashAfterTokens implements GenerationListener {

  private final GenerationListener delegate;
  private final HttpConnection connection;
  private final int tokensBeforeCrash;
  private SubmittedRequest submitted;
  private boolean crashed;

  CrashAfterTokens(GenerationListener delegate, HttpConnection connection, int tokensBeforeCrash) {
    this.delegate = delegate;
    this.connection = connection;
    this.tokensBeforeCrash = tokensBeforeCrash;
  }

  void attach(SubmittedRequest request) {
    this.submitted = request;
  }

  @Override
  public void onToken(int index) {
    if (crashed) {
      return;
    }
    if (index >= tokensBeforeCrash) {
      crash();
      return;
    }
    delegate.onToken(index);
  }

  @Override
  public void onFinished(GenerationResult result) {
    if (!crashed) {
      crash();
    }
  }

  private void crash() {
    crashed = true;
    if (submitted != null) {
      submitted.cancel();
    }
    connection.close();
  }
}
