// Reading the personal data the log holds sealed, in a test, the way the
// server does: the server's key vault opened read-only (beside the running
// server) with its master keys (the file given to --master-keys, or the
// development key in <data>/keys/dev-master.keys), and the pseudonyms from
// <data>/keys/access-index.key. Header-only.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "eventstore/store.h"
#include "services/access/subject_key.h"
#include "services/vault/key_vault.h"
#include "services/vault/master_keys.h"
#include "services/vault/personal_fields.h"
#include "sparbar/v1/event.pb.h"

namespace sparbar::testing {

// The event as the server's modules read it: its personal fields opened, or
// marked disposed. Corrections are not supported (no log to read their target from).
inline v1::RecordedEvent OpenPersonalData(const std::string& data_dir, const v1::RecordedEvent& e,
                                          std::string master_keys_file = "") {
  if (master_keys_file.empty()) master_keys_file = data_dir + "/keys/dev-master.keys";
  auto keys = vault::MasterKeys::LoadFile(master_keys_file);
  REQUIRE(keys.ok());
  auto kv = vault::KeyVault::OpenReadOnly(data_dir + "/vault", std::move(keys.value()));
  INFO(kv.status().message());
  REQUIRE(kv.ok());
  auto subject_key = access::SubjectKey::LoadOrCreate(data_dir + "/keys/access-index.key");
  REQUIRE(subject_key.ok());
  const vault::PersonalFields fields(kv->get(), &subject_key.value(), nullptr);
  EventRecord record;
  auto id = Uuid::Parse(e.id());
  REQUIRE(id.ok());
  record.id = *id;  // a sealed field opens only in its own event
  record.stream = e.stream();
  record.type = e.type();
  record.payload = e.payload();
  const Status opened = fields.Open(record);
  INFO(opened.message());
  REQUIRE(opened.ok());
  v1::RecordedEvent out = e;
  out.set_payload(record.payload);
  return out;
}

}  // namespace sparbar::testing
