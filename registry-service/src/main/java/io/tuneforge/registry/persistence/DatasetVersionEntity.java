package io.tuneforge.registry.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** One immutable dataset version ({@code dataset_version}), as announced by a DatasetPrepared event. */
@Entity
@Table(name = "dataset_version")
public class DatasetVersionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "dataset_id", nullable = false, length = 200)
    public String datasetId;

    @Column(nullable = false)
    public int version;

    /** instruction | conversation | preference (DatasetFormat wire name). */
    @Column(nullable = false, length = 32)
    public String format;

    /** JSON object: records per file (input, train, eval, rejected). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String counts;

    @Column(name = "manifest_uri", nullable = false, length = 2048)
    public String manifestUri;

    @Column(name = "train_uri", length = 2048)
    public String trainUri;

    @Column(name = "eval_uri", length = 2048)
    public String evalUri;

    @Column(name = "rejected_uri", length = 2048)
    public String rejectedUri;

    /** upload | import | augmentation. */
    @Column(length = 32)
    public String source;

    @Column(name = "parent_dataset_id", length = 200)
    public String parentDatasetId;

    @Column(name = "parent_version")
    public Integer parentVersion;

    /** The DatasetPrepared event that announced this version. */
    @Column(name = "event_id", nullable = false, length = 200)
    public String eventId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
