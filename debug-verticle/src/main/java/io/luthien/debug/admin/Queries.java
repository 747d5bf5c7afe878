package io.luthien.debug.admin;

import io.luthien.debug.api.ApiProblem;
import io.luthien.debug.api.ApiRequest;

/** Query parameters read strictly: a malformed one is a 400 naming it. */
final class Queries {

  private Queries() {}

  static Long optionalId(ApiRequest request, String name) {
    String text = request.query(name);
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      long value = Long.parseLong(text);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw ApiProblem.badRequest(name + " must be a positive id, got '" + text + "'");
  }
}
