package io.luthien.gateway.upstream;

import java.net.URI;
import java.util.Locale;

/** A provider's base URL taken apart once, so no request pays for parsing it. */
record UpstreamAddress(String host, int port, boolean ssl, String path) {

  static UpstreamAddress parse(String baseUrl, String endpoint) {
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "provider base URL '" + baseUrl + "' is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "provider base URL '" + baseUrl + "' must be http(s)://host[:port][/path]");
    }
    boolean ssl = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String basePath = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (basePath.endsWith("/")) {
      basePath = basePath.substring(0, basePath.length() - 1);
    }
    return new UpstreamAddress(uri.getHost(), port, ssl, basePath + endpoint);
  }
}
