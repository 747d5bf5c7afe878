package io.luthien.launcher;

import io.vertx.core.Vertx;

/** A node whose roles are all up, with the banner it logged when they were. */
record RunningNode(Vertx vertx, NodeOptions options, ReadyBanner banner) {}
