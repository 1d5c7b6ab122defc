with

source as (
    select * from {{ raw_source('load_errors') }}
),

renamed as (
    select
        table_name,
        source_file,
        line_number,
        reason,
        record_text,
        loaded_at
    from source
)

select * from renamed
