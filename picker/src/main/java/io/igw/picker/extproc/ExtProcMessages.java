package io.igw.picker.extproc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.StreamedBodyResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import io.igw.picker.core.PickFailure;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The EPP protocol's names and messages (GIE proposal 004): the ext_proc method, the header and
 * metadata keys that carry the destination, the subset hint and the served endpoint, and
 * builders/readers of the messages both the server and the bridge exchange. Pure functions.
 */
public final class ExtProcMessages {
  public static final ServiceName SERVICE =
      ServiceName.create("envoy.service.ext_proc.v3.ExternalProcessor");
  public static final String METHOD = "Process";

  /**
   * The server's side; a message that is not a ProcessingRequest decodes to null (the stream
   * answers it).
   */
  public static final ServiceMethod<ProcessingRequest, ProcessingResponse> SERVER_PROCESS =
      ServiceMethod.server(SERVICE, METHOD, GrpcMessageEncoder.encoder(), new LenientDecoder());

  public static final ServiceMethod<ProcessingResponse, ProcessingRequest> CLIENT_PROCESS =
      ServiceMethod.client(
          SERVICE,
          METHOD,
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(ProcessingResponse.newBuilder()));

  public static final String ENDPOINT_HEADER = "x-gateway-destination-endpoint";
  public static final String LB_NAMESPACE = "envoy.lb";
  public static final String SUBSET_NAMESPACE = "envoy.lb.subset_hint";
  public static final String SUBSET_KEY = "x-gateway-destination-endpoint-subset";
  public static final String SERVED_KEY = "x-gateway-destination-endpoint-served";

  /** Body chunk size of the reference EPP (bodies over 64 KB travel in chunks). */
  public static final int CHUNK_BYTES = 62_000;

  private ExtProcMessages() {}

  /**
   * Decodes a ProcessingRequest, or null when the bytes are not one (instead of failing the stream
   * blindly).
   */
  private static final class LenientDecoder implements GrpcMessageDecoder<ProcessingRequest> {
    @Override
    public ProcessingRequest decode(io.vertx.grpc.common.GrpcMessage message) {
      try {
        return ProcessingRequest.parseFrom(message.payload().getBytes());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        return null;
      }
    }

    @Override
    public boolean accepts(io.vertx.grpc.common.WireFormat format) {
      return format == io.vertx.grpc.common.WireFormat.PROTOBUF;
    }
  }

  // --- reading

  /**
   * The headers of a headers message, names lower-cased; {@code raw_value} when {@code value} is
   * empty.
   */
  public static MultiMap headers(HeaderMap map) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (HeaderValue h : map.getHeadersList()) {
      out.add(h.getKey().toLowerCase(java.util.Locale.ROOT), valueOf(h));
    }
    return out;
  }

  static String valueOf(HeaderValue h) {
    return h.getValue().isEmpty() ? h.getRawValue().toStringUtf8() : h.getValue();
  }

  /** The subset hint's endpoints, or null when the gateway sent none. */
  public static Set<String> subsetHint(Metadata metadata) {
    Struct hint = metadata.getFilterMetadataMap().get(SUBSET_NAMESPACE);
    Value value = hint == null ? null : hint.getFieldsMap().get(SUBSET_KEY);
    if (value == null) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    if (value.hasListValue()) {
      value.getListValue().getValuesList().forEach(v -> addTokens(out, v.getStringValue()));
    } else {
      addTokens(out, value.getStringValue());
    }
    return out;
  }

  private static void addTokens(Set<String> out, String text) {
    for (String token : text.split(",")) {
      if (!token.isBlank()) {
        out.add(token.trim());
      }
    }
  }

  /** The endpoint that served the request (response phase), or null. */
  public static String servedEndpoint(Metadata metadata) {
    return stringField(metadata.getFilterMetadataMap().get(LB_NAMESPACE), SERVED_KEY);
  }

  /** {@code envoy.lb/x-gateway-destination-endpoint} of an answer's dynamic metadata, or null. */
  public static String metadataEndpoint(Struct dynamicMetadata) {
    Value lb = dynamicMetadata.getFieldsMap().get(LB_NAMESPACE);
    return lb == null || !lb.hasStructValue()
        ? null
        : stringField(lb.getStructValue(), ENDPOINT_HEADER);
  }

  private static String stringField(Struct struct, String key) {
    Value value = struct == null ? null : struct.getFieldsMap().get(key);
    return value == null || value.getStringValue().isEmpty() ? null : value.getStringValue();
  }

  // --- building

  /**
   * The pick's answer to the request headers: destination header + same metadata, optional body
   * length.
   */
  public static ProcessingResponse picked(
      String endpoints, Map<String, String> setHeaders, Collection<String> remove) {
    HeaderMutation.Builder mutation =
        HeaderMutation.newBuilder().addSetHeaders(header(ENDPOINT_HEADER, endpoints));
    setAll(mutation, setHeaders);
    mutation.addAllRemoveHeaders(remove);
    return ProcessingResponse.newBuilder()
        .setRequestHeaders(
            HeadersResponse.newBuilder()
                .setResponse(
                    CommonResponse.newBuilder()
                        .setHeaderMutation(mutation)
                        .setClearRouteCache(true)))
        .setDynamicMetadata(lbMetadata(ENDPOINT_HEADER, endpoints))
        .build();
  }

  /**
   * The answer to the response headers: {@code clientHeaders} (a rate limit's {@code
   * x-ratelimit-*}) set on the client's response; a plain continue when there are none.
   */
  public static ProcessingResponse responseHeaders(Map<String, String> clientHeaders) {
    if (clientHeaders.isEmpty()) {
      return proceed(ProcessingRequest.RequestCase.RESPONSE_HEADERS);
    }
    HeaderMutation.Builder mutation = HeaderMutation.newBuilder();
    setAll(mutation, clientHeaders);
    return ProcessingResponse.newBuilder()
        .setResponseHeaders(
            HeadersResponse.newBuilder()
                .setResponse(CommonResponse.newBuilder().setHeaderMutation(mutation)))
        .build();
  }

  /**
   * The one way headers the picker adds (a pick's, a failure's, a rate limit's) become ext_proc
   * {@code set_headers}, in order.
   */
  private static void setAll(HeaderMutation.Builder mutation, Map<String, String> headers) {
    headers.forEach((name, value) -> mutation.addSetHeaders(header(name, value)));
  }

  /** {@code {"envoy.lb": {key: value}}}. */
  public static Struct lbMetadata(String key, String value) {
    Struct lb =
        Struct.newBuilder()
            .putFields(key, Value.newBuilder().setStringValue(value).build())
            .build();
    return Struct.newBuilder()
        .putFields(LB_NAMESPACE, Value.newBuilder().setStructValue(lb).build())
        .build();
  }

  public static HeaderValueOption header(String name, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(
            HeaderValue.newBuilder().setKey(name).setRawValue(ByteString.copyFromUtf8(value)))
        .build();
  }

  /** The body as streamed body responses of {@link #CHUNK_BYTES}, the last with end_of_stream. */
  public static List<ProcessingResponse> requestBody(Buffer body) {
    List<ProcessingResponse> out = new ArrayList<>();
    byte[] bytes = body.getBytes();
    int offset = 0;
    do {
      int end = Math.min(bytes.length, offset + CHUNK_BYTES);
      StreamedBodyResponse chunk =
          StreamedBodyResponse.newBuilder()
              .setBody(ByteString.copyFrom(bytes, offset, end - offset))
              .setEndOfStream(end == bytes.length)
              .build();
      out.add(
          ProcessingResponse.newBuilder()
              .setRequestBody(
                  BodyResponse.newBuilder()
                      .setResponse(
                          CommonResponse.newBuilder()
                              .setBodyMutation(
                                  BodyMutation.newBuilder().setStreamedResponse(chunk))))
              .build());
      offset = end;
    } while (offset < bytes.length);
    return out;
  }

  /**
   * A pick's failure as the answer that ends the request at the gateway: its status and its body.
   */
  public static ProcessingResponse immediate(PickFailure failure) {
    return immediate(failure.status(), failure.body(), failure.headers());
  }

  /** An answer that ends the request at the gateway with {@code status} and a JSON body. */
  public static ProcessingResponse immediate(int status, Buffer body) {
    return immediate(status, body, java.util.Map.of());
  }

  /** The same, with {@code headers} besides content-type (a rate limit's retry-after, ...). */
  public static ProcessingResponse immediate(
      int status, Buffer body, java.util.Map<String, String> headers) {
    StatusCode code = StatusCode.forNumber(status);
    HeaderMutation.Builder mutation =
        HeaderMutation.newBuilder().addSetHeaders(header("content-type", "application/json"));
    setAll(mutation, headers);
    return ProcessingResponse.newBuilder()
        .setImmediateResponse(
            ImmediateResponse.newBuilder()
                .setStatus(
                    HttpStatus.newBuilder()
                        .setCode(code == null ? StatusCode.InternalServerError : code))
                .setHeaders(mutation)
                .setBody(ByteString.copyFrom(body.getBytes()))
                .setDetails("igw_pick_" + status))
        .build();
  }

  /** The empty (continue) answer to a message of the given kind. */
  public static ProcessingResponse proceed(ProcessingRequest.RequestCase kind) {
    ProcessingResponse.Builder out = ProcessingResponse.newBuilder();
    HeadersResponse headers =
        HeadersResponse.newBuilder().setResponse(CommonResponse.getDefaultInstance()).build();
    BodyResponse body =
        BodyResponse.newBuilder().setResponse(CommonResponse.getDefaultInstance()).build();
    switch (kind) {
      case REQUEST_HEADERS -> out.setRequestHeaders(headers);
      case RESPONSE_HEADERS -> out.setResponseHeaders(headers);
      case REQUEST_BODY -> out.setRequestBody(body);
      case RESPONSE_BODY -> out.setResponseBody(body);
      case REQUEST_TRAILERS ->
          out.setRequestTrailers(
              io.envoyproxy.envoy.service.ext_proc.v3.TrailersResponse.getDefaultInstance());
      case RESPONSE_TRAILERS ->
          out.setResponseTrailers(
              io.envoyproxy.envoy.service.ext_proc.v3.TrailersResponse.getDefaultInstance());
      default -> throw new IllegalArgumentException("no answer to " + kind);
    }
    return out.build();
  }
}
