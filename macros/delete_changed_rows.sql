{% macro delete_changed_rows() %}
    {#-
        Pre-hook of the incremental marts: in an incremental run, delete the rows whose
        `unique_key` (a call id, a start hour or an STT event id) is in the run's change set,
        the `*_changed_this_run` model the mart reads, so that the run's rows replace them and
        a key left without rows (a call that lost its only accepted version, an hour left
        without calls) does not linger. The change set is found among the mart's parents, so
        the DAG stays declared by the models themselves. A fact stored in the order of its
        calls' starts (call_start_column) deletes within the change set's start hours only
        (within_change_set_starts), reading only their row groups.
    -#}
    {%- if execute and is_incremental() %}
        {%- set key = config.get('unique_key') %}
        {%- set change_sets = [] %}
        {%- for parent in model.depends_on.nodes if parent.endswith('_changed_this_run') %}
            {%- set node = graph.nodes[parent] %}
            {%- do change_sets.append(api.Relation.create(
                database=node.database, schema=node.schema, identifier=node.alias
            )) %}
        {%- endfor %}
        {#- a run that rebuilds everything has no change set: every row is replaced -#}
        {%- set everything = rebuilds_everything() %}
        {%- set replaced = this if everything else change_sets[0] %}
        {%- set started_at = none if everything else call_start_column(this) %}
        {{ delete_rows(
            this,
            key,
            'select distinct ' ~ key ~ ' from ' ~ replaced,
            within_change_set_starts(started_at, replaced) if started_at else 'true',
        ) }}
    {%- endif %}
{% endmacro %}
