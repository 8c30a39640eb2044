package parley.outbound;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Offsets on a one-partition topic, read from the broker. */
final class KafkaOffsets {

    private KafkaOffsets() {
    }

    /** Where the next record on the topic will be. */
    static long end(EmbeddedKafkaKraftBroker kafka, String topic) throws Exception {
        try (Admin admin = admin(kafka)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
        }
    }

    /** The group's committed offset on the topic; -1 before its first commit. */
    static long committed(EmbeddedKafkaKraftBroker kafka, String group, String topic) throws Exception {
        try (Admin admin = admin(kafka)) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(topic, 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    private static Admin admin(EmbeddedKafkaKraftBroker kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()));
    }
}
