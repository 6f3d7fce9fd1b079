package io.igw.picker.extproc;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An EPP's answer to the response headers, as Envoy's ext_proc filter reads it: {@code
 * remove_headers} first, then each {@code set_headers} entry in order, replacing the header ({@code
 * append} unset or false) or adding a value ({@code append} true). Names are lower-cased; which of
 * them may be applied is the relay's business.
 */
public record ResponseHeaderMutation(List<String> remove, List<Header> set) {
  public static final ResponseHeaderMutation NONE =
      new ResponseHeaderMutation(List.of(), List.of());

  /** One {@code set_headers} entry. */
  public record Header(String name, String value, boolean append) {}

  public ResponseHeaderMutation {
    remove = List.copyOf(remove);
    set = List.copyOf(set);
  }

  static ResponseHeaderMutation of(HeaderMutation mutation) {
    List<String> remove =
        mutation.getRemoveHeadersList().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    List<Header> set =
        mutation.getSetHeadersList().stream().map(ResponseHeaderMutation::header).toList();
    return new ResponseHeaderMutation(remove, set);
  }

  private static Header header(HeaderValueOption option) {
    return new Header(
        option.getHeader().getKey().toLowerCase(Locale.ROOT),
        ExtProcMessages.valueOf(option.getHeader()),
        option.hasAppend() && option.getAppend().getValue());
  }

  public boolean isEmpty() {
    return remove.isEmpty() && set.isEmpty();
  }

  /** Every name the mutation touches, for logs. */
  public Set<String> names() {
    Set<String> out = new LinkedHashSet<>(remove);
    set.forEach(h -> out.add(h.name()));
    return out;
  }
}
