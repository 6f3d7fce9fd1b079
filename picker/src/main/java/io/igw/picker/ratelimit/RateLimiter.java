package io.igw.picker.ratelimit;

import io.igw.picker.core.PickFailure;
import io.igw.picker.core.PickRequest;
import io.igw.picker.core.RequestPolicy;
import io.igw.picker.lifecycle.Completion;
import io.igw.picker.lifecycle.TokenUsage;
import io.igw.picker.tenancy.TenantKey;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Admission against a pool's token and request limits. A request is charged to every bucket of
 * every rule whose match holds (tenant from {@link TenantKey}, objective from {@value
 * RequestPolicy#OBJECTIVE_HEADER}, the model the client asked for): its estimate ({@link
 * RequestEstimate}) per token limit, 1 per request limit. It is admitted when every bucket holds
 * its charge, and then the charges are taken (reserved); one charge larger than its limit is
 * refused at once, without asking the store. The completion settles the reservation with the real
 * usage (or the estimate when none was reported).
 */
public final class RateLimiter {
  private static final Logger LOG = Logger.getLogger(RateLimiter.class.getName());
  private static final TokenUsage NOTHING = new TokenUsage(0, 0, 0, false);

  /** What admission answers: the reservation to settle (null: nothing taken) and the headers. */
  public record Decision(Reservation reservation, Map<String, String> headers) {
    static final Decision UNLIMITED = new Decision(null, Map.of());
  }

  private final Supplier<RateLimits> limits;
  private final BucketStore store;
  private final RateLimitObserver observer;
  private final RateLimitOptions options;
  private final TenantKey tenants = TenantKey.defaults();
  private final Map<String, DistinctValues> distinct = new ConcurrentHashMap<>();
  private final AtomicBoolean storeDown = new AtomicBoolean();

  public RateLimiter(
      Supplier<RateLimits> limits,
      BucketStore store,
      RateLimitObserver observer,
      RateLimitOptions options) {
    this.limits = limits;
    this.store = store;
    this.observer = observer;
    this.options = options;
  }

  public Future<Decision> admit(PickRequest request) {
    List<LimitRule> rules = limits.get().rules(request.pool());
    if (rules.isEmpty()) {
      return Future.succeededFuture(Decision.UNLIMITED);
    }
    String tenant = tenants.of(request.headers());
    String objective =
        request.headers() == null ? null : request.headers().get(RequestPolicy.OBJECTIVE_HEADER);
    String model = request.model();
    List<LimitRule> matched = new ArrayList<>();
    for (LimitRule rule : rules) {
      if (rule.matches(tenant, objective, model)) {
        matched.add(rule);
      }
    }
    if (matched.isEmpty()) {
      return Future.succeededFuture(Decision.UNLIMITED);
    }
    RequestEstimate estimate;
    try {
      estimate = RequestEstimate.of(request);
    } catch (PickFailure badBody) {
      return Future.failedFuture(badBody);
    }
    long now = options.getClock().millis();
    List<BucketCharge> charges = new ArrayList<>();
    List<Reservation.Charged> counted = new ArrayList<>();
    TokenUsage asUsage = estimate.asUsage();
    for (LimitRule rule : matched) {
      String values = valuesOf(rule, tenant, objective, model, now);
      for (int i = 0; i < rule.limits().size(); i++) {
        LimitRule.Limit limit = rule.limits().get(i);
        long amount = rule.cost().charge(limit.counted(), asUsage);
        charges.add(
            new BucketCharge(
                BucketKeys.of(rule, i, values), limit.amount(), limit.window().millis, amount));
        counted.add(new Reservation.Charged(rule, limit));
      }
    }
    for (int i = 0; i < charges.size(); i++) {
      if (charges.get(i).amount() > charges.get(i).capacity()) {
        return Future.failedFuture(tooLarge(counted.get(i), charges.get(i), tenant));
      }
    }
    return store
        .admit(charges)
        .transform(
            ar -> {
              if (ar.failed()) {
                return storeFailed(matched, ar.cause());
              }
              storeUp();
              Admission admission = ar.result();
              if (!admission.admitted()) {
                return Future.failedFuture(refusal(admission, charges, counted, tenant));
              }
              Reservation reservation = new Reservation(charges, counted, estimate, now);
              return Future.succeededFuture(
                  new Decision(reservation, headers(admission, charges, counted, true)));
            });
  }

  /** Settles a reservation with the completion's usage; the estimate when it reported none. */
  public void settle(Reservation reservation, Completion completion) {
    TokenUsage usage = completion.usage();
    if (usage == null) {
      boolean failedUpstream = completion.status() >= 400 && completion.status() != 499;
      usage = failedUpstream ? NOTHING : reservation.estimate().asUsage();
    }
    List<BucketCharge> deltas = new ArrayList<>();
    for (int i = 0; i < reservation.charges().size(); i++) {
      Reservation.Charged c = reservation.counted().get(i);
      if (c.limit().counted() == Counted.REQUESTS) {
        continue;
      }
      BucketCharge reserved = reservation.charges().get(i);
      long actual = c.rule().cost().charge(c.limit().counted(), usage);
      if (actual != reserved.amount()) {
        deltas.add(reserved.withAmount(reserved.amount() - actual));
      }
    }
    giveBack(deltas);
  }

  /** Gives back everything a reservation took: its pick failed after admission. */
  public void refund(Reservation reservation) {
    giveBack(reservation.charges());
  }

  public long clockMillis() {
    return options.getClock().millis();
  }

  /** Distinct-value buckets one rule holds now (tests of the bounds). */
  int distinctValues(LimitRule rule) {
    DistinctValues values = distinct.get(rule.policy() + "/" + rule.name());
    return values == null ? 0 : values.size();
  }

  private void giveBack(List<BucketCharge> charges) {
    if (charges.isEmpty()) {
      return;
    }
    store
        .settle(charges)
        .onFailure(
            e -> {
              observer.rateLimitStoreError("settle", false);
              storeFailedOnce(e);
            });
  }

  private String valuesOf(LimitRule rule, String tenant, String objective, String model, long now) {
    String values = BucketKeys.values(rule, tenant, objective, model);
    if (values.isEmpty()) {
      return values;
    }
    DistinctValues known =
        distinct.computeIfAbsent(
            rule.policy() + "/" + rule.name(),
            k -> new DistinctValues(options.getMaxDistinctValues(), rule.longestWindowMillis()));
    String admitted = known.admit(values, now);
    return admitted.equals(values) ? values : "|*=" + DistinctValues.OTHER;
  }

  private Future<Decision> storeFailed(List<LimitRule> matched, Throwable cause) {
    storeFailedOnce(cause);
    for (LimitRule rule : matched) {
      if (rule.denyWhenStoreDown()) {
        observer.rateLimitStoreError("admit", true);
        return Future.failedFuture(PickFailure.rateLimitUnavailable(rule.policy()));
      }
    }
    observer.rateLimitStoreError("admit", false);
    return Future.succeededFuture(Decision.UNLIMITED);
  }

  private void storeFailedOnce(Throwable cause) {
    if (storeDown.compareAndSet(false, true)) {
      LOG.warning(
          "event=rate_limit_store_unavailable error="
              + io.igw.api.log.LogText.value(String.valueOf(cause.getMessage()))
              + " counter=igw_ratelimit_store_errors_total");
    }
  }

  private void storeUp() {
    if (storeDown.get() && storeDown.compareAndSet(true, false)) {
      LOG.info("event=rate_limit_store_recovered");
    }
  }

  private PickFailure refusal(
      Admission admission,
      List<BucketCharge> charges,
      List<Reservation.Charged> counted,
      String tenant) {
    int i = admission.refused();
    BucketCharge charge = charges.get(i);
    Reservation.Charged c = counted.get(i);
    double level = admission.levels()[i];
    long retry =
        TokenBucket.millisUntil(
            level, charge.amount(), charge.capacity(), c.limit().window().millis);
    long used = (long) Math.ceil(Math.max(0, charge.capacity() - level));
    String type = type(c.limit());
    observer.rateLimited(c.rule().policy(), c.rule().name(), type);
    String message =
        "Rate limit reached for "
            + what(c, tenant)
            + ": Limit "
            + charge.capacity()
            + ", Used "
            + used
            + ", Requested "
            + charge.amount()
            + ". Please try again in "
            + RateLimitHeaders.forMessage(retry)
            + ".";
    return PickFailure.rateLimited(
        type,
        message,
        RateLimitHeaders.retryAfter(headers(admission, charges, counted, false), retry));
  }

  private PickFailure tooLarge(Reservation.Charged c, BucketCharge charge, String tenant) {
    String type = type(c.limit());
    observer.rateLimited(c.rule().policy(), c.rule().name(), type);
    return PickFailure.rateLimited(
        type,
        "Request too large for "
            + what(c, tenant)
            + ": Limit "
            + charge.capacity()
            + ", Requested "
            + charge.amount()
            + ". The input or output tokens must be reduced in order to run successfully.",
        Map.of());
  }

  /** "tokens per min (TPM) of rule free-tier in policy default/free-tier, tenant free-tier". */
  private static String what(Reservation.Charged c, String tenant) {
    boolean tokens = c.limit().counted() != Counted.REQUESTS;
    Window w = c.limit().window();
    return (tokens ? "tokens" : "requests")
        + (tokens && c.limit().counted() != Counted.TOTAL
            ? " (" + c.limit().counted().field.toLowerCase(java.util.Locale.ROOT) + ")"
            : "")
        + " per "
        + w.noun
        + " ("
        + (tokens ? 'T' : 'R')
        + "P"
        + w.letter
        + ") of rule "
        + c.rule().name()
        + " in policy "
        + c.rule().policy()
        + " for tenant "
        + tenant;
  }

  private static String type(LimitRule.Limit limit) {
    return limit.counted() == Counted.REQUESTS ? "requests" : "tokens";
  }

  /**
   * OpenAI's headers: per kind, the bucket with the least left (after the charge when {@code
   * charged}).
   */
  private static Map<String, String> headers(
      Admission admission,
      List<BucketCharge> charges,
      List<Reservation.Charged> counted,
      boolean charged) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kind : List.of("tokens", "requests")) {
      int least = -1;
      double leastLeft = Double.MAX_VALUE;
      for (int i = 0; i < charges.size(); i++) {
        if (!type(counted.get(i).limit()).equals(kind)) {
          continue;
        }
        double left = admission.levels()[i] - (charged ? charges.get(i).amount() : 0);
        if (least < 0 || left < leastLeft) {
          least = i;
          leastLeft = left;
        }
      }
      if (least >= 0) {
        BucketCharge c = charges.get(least);
        RateLimitHeaders.put(
            out,
            kind,
            c.capacity(),
            leastLeft,
            TokenBucket.millisUntilFull(leastLeft, c.capacity(), c.windowMillis()));
      }
    }
    return out;
  }
}
