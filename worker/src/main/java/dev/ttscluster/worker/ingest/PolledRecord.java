package dev.ttscluster.worker.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A record as the batcher sees it.
 *
 * @param record the Kafka record
 * @param prepared its segment made ready for batching; null for a record that cannot be decoded (it is
 *                 skipped, but its offset still commits once the records before it are durable)
 */
record PolledRecord(ConsumerRecord<String, byte[]> record, Prepared prepared) {
    TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }

    long offset() {
        return record.offset();
    }

    Lane lane() {
        return Lane.of(record.topic());
    }
}
