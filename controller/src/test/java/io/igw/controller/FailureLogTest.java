package io.igw.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A failed command ends with one event line (a trace only for the unexpected) and status 1. */
class FailureLogTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final CommandLine render =
      new CommandLine(new ControllerMain())
          .setExecutionExceptionHandler(
              new ControllerMain.FailureLog(new PrintStream(err, true, StandardCharsets.UTF_8)))
          .getSubcommands()
          .get("render");

  @Test
  void anExpectedFailureIsOneLineWithoutATrace() {
    int status =
        handle(
            new UncheckedIOException(
                "cannot create NGINX prefix /x", new java.io.IOException("denied")));
    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList())
        .singleElement()
        .asString()
        .endsWith(
            " WARNING event=controller_failed command=render error=\"cannot create NGINX prefix /x\"");
  }

  @Test
  void anUnexpectedFailureBringsItsTrace() {
    int status = handle(new NullPointerException());
    assertThat(status).isEqualTo(1);
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text.lines().findFirst().orElseThrow())
        .endsWith(
            " SEVERE event=controller_failed command=render error=java.lang.NullPointerException");
    assertThat(text)
        .contains("\tat io.igw.controller.FailureLogTest.anUnexpectedFailureBringsItsTrace");
  }

  @Test
  void aFailureLoggedAlreadyAddsNothing() {
    assertThat(handle(new ControllerMain.Logged("nginx not found"))).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private int handle(Exception e) {
    return ((ControllerMain.FailureLog) render.getExecutionExceptionHandler())
        .handleExecutionException(e, render, null);
  }
}
