# The one image every node runs; the roles it plays come from the command line (see docker-compose.yml).
#   docker build -t luthien-vertx:0.1.0 .
#   docker run --rm -p 8000:8000 -p 8001:8001 luthien-vertx:0.1.0   # all roles, embedded PostgreSQL

# Both base images are pinned to exact tags. No digest: this machine reaches no image registry to read one; where one
# is reachable, `docker buildx imagetools inspect <image>` gives it, to append as `@sha256:...`.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src

# Poms first: the dependency layer is downloaded again only when a pom changes.
# .mvn/jvm.config opens the compiler internals that Error Prone (run by every compile) needs.
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY errorprone-checks/pom.xml errorprone-checks/
COPY canonical-shape/pom.xml canonical-shape/
COPY shared-contracts/pom.xml shared-contracts/
COPY policy-api/pom.xml policy-api/
COPY policy-library/pom.xml policy-library/
COPY policy-verticle/pom.xml policy-verticle/
COPY gateway-verticle/pom.xml gateway-verticle/
COPY recorder-verticle/pom.xml recorder-verticle/
COPY debug-verticle/pom.xml debug-verticle/
COPY launcher/pom.xml launcher/
# 3.9.0 leaves the reactor's own modules out, so this works before any of them is built.
RUN mvn -B -ntp -q -pl launcher -am org.apache.maven.plugins:maven-dependency-plugin:3.9.0:go-offline

COPY errorprone-checks/src errorprone-checks/src
COPY canonical-shape/src canonical-shape/src
COPY shared-contracts/src shared-contracts/src
COPY policy-api/src policy-api/src
COPY policy-library/src policy-library/src
COPY policy-verticle/src policy-verticle/src
COPY gateway-verticle/src gateway-verticle/src
COPY recorder-verticle/src recorder-verticle/src
COPY debug-verticle/src debug-verticle/src
COPY launcher/src launcher/src
RUN mvn -B -ntp -DskipTests package -pl launcher -am

FROM eclipse-temurin:17.0.20.1_1-jre-noble
# curl for the health checks; /app/data holds the embedded PostgreSQL when DATABASE_URL is not set.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 luthien \
    && useradd --system --uid 10001 --gid luthien --home-dir /app --shell /usr/sbin/nologin luthien \
    && mkdir -p /app/data \
    && chown luthien:luthien /app/data
WORKDIR /app
COPY --from=build /src/launcher/target/luthien-vertx.jar /app/luthien-vertx.jar
COPY config/ /app/config/
USER luthien

ENV HOST=0.0.0.0 \
    CLUSTER_HOST=auto \
    LOG_FORMAT=json \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# gateway, debug, metrics and health, Hazelcast
EXPOSE 8000 8001 9464 5701
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${METRICS_PORT:-9464}/health" || exit 1

ENTRYPOINT ["java", "-jar", "/app/luthien-vertx.jar"]
CMD ["--roles", "gateway,policy,recorder,debug"]
