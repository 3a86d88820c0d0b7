# The gateway image: dev.ttscluster.gateway.GatewayMain on the runtime classpath Maven builds.
# Build from the repository root:
#   docker build -f deploy/compose/gateway.Dockerfile -t tts-cluster/gateway:0.1.0 .
# The same image runs the key tool: java -cp '/app/lib/*' dev.ttscluster.gateway.KeysMain create --tenant T
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# every module's pom: the reactor reads them all, even when building one module
COPY pom.xml ./
# every module's pom (the reactor reads them all), then the sources of the modules this image runs
COPY common/pom.xml common/
COPY state/pom.xml state/
COPY storage/pom.xml storage/
COPY codecs/pom.xml codecs/
COPY gateway/pom.xml gateway/
COPY worker/pom.xml worker/
COPY test-fixtures/pom.xml test-fixtures/
COPY client/pom.xml client/
COPY deploy/pom.xml deploy/
COPY bench/pom.xml bench/
COPY e2e/pom.xml e2e/
COPY common/src common/src
COPY state/src state/src
COPY storage/src storage/src
COPY codecs/src codecs/src
COPY gateway/src gateway/src
RUN mvn -B -ntp -q -pl gateway -am -DskipTests install \
 && mvn -B -ntp -q -pl gateway dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib \
 && cp gateway/target/gateway-*.jar /out/lib/

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --no-create-home tts
COPY --from=build /out/lib /app/lib
WORKDIR /app
# DJL never downloads anything (the gateway does not load it, but every image of the project runs offline)
ENV DJL_OFFLINE=true
USER 10001
EXPOSE 8080
# JVM flags go in JAVA_TOOL_OPTIONS; java expands the classpath wildcard itself
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-cp", "/app/lib/*", "dev.ttscluster.gateway.GatewayMain"]
