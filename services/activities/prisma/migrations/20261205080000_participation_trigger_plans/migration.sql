-- The triggers that keep ParticipationSummary join the rows a statement changed (a transition table)
-- to the activities or to the participation links, one row per changed row. The planner may hash the
-- whole other table for that join (a bulk insert of 8,000 links hashed all 200,000 activities at the
-- synthetic scale 10: 958 ms per statement, 38 ms by primary key), above all while a load runs ahead
-- of the table's statistics. Looking each row up by index is right whatever the sizes, so these
-- functions plan without hash or merge joins.
ALTER FUNCTION participation_links_changed() SET enable_hashjoin = off SET enable_mergejoin = off;
ALTER FUNCTION participation_activities_changed() SET enable_hashjoin = off SET enable_mergejoin = off;
