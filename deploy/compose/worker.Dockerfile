# The worker image: dev.ttscluster.worker.WorkerMain on the runtime classpath Maven builds, with the
# default voice's bundle (models/slt) at /app/models/slt. Build from the repository root:
#   docker build -f deploy/compose/worker.Dockerfile -t tts-cluster/worker:0.1.0 .
#   docker build -f deploy/compose/worker.Dockerfile --build-arg FLAVOR=gpu -t tts-cluster/worker-gpu:0.1.0 .
# cpu: DJL's PyTorch CPU native library from Maven Central (the worker's runtime dependency).
# gpu: PyTorch 2.7.1's CUDA 12.8 libtorch from the pytorch image, loaded through PYTORCH_LIBRARY_PATH with
#      the cu128 JNI library that ai.djl.pytorch:pytorch-jni ships (Maven Central has no CUDA native jar
#      for 2.7.1, and DJL_OFFLINE forbids DJL's own download).
ARG FLAVOR=cpu

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
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
COPY worker/src worker/src
# the bundle manifest's JSON Schema, which the worker jar carries (worker/pom.xml resources)
COPY models/manifest.schema.json models/
RUN mvn -B -ntp -q -pl worker -am -DskipTests install \
 && mvn -B -ntp -q -pl worker dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib \
 && cp worker/target/worker-*.jar /out/lib/

FROM eclipse-temurin:17-jre AS runtime-cpu

FROM pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime AS runtime-gpu
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      openjdk-17-jre-headless >/dev/null && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(python -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')" /opt/libtorch
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128

FROM runtime-${FLAVOR}
ARG FLAVOR
RUN useradd --system --uid 10001 --no-create-home tts
COPY --from=build /out/lib /app/lib
RUN if [ "$FLAVOR" = gpu ]; then rm -f /app/lib/pytorch-native-cpu-*.jar; fi
COPY models/slt /app/models/slt
WORKDIR /app
ENV DJL_OFFLINE=true TTS_WORKER_MODEL_DIR=/app/models/slt
USER 10001
EXPOSE 9464
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-cp", "/app/lib/*", "dev.ttscluster.worker.WorkerMain"]
