package io.luthien.launcher;

/** Where a server of the node listens, and the variable that sets its port. */
record ListenAddress(String portVariable, String host, int port) {

  /** A URL this machine can open: a server bound to every interface is reached on loopback. */
  String url(int actualPort, String path) {
    boolean everyInterface = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    String shown = everyInterface ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + actualPort + path;
  }
}
