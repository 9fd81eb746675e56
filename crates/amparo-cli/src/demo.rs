//! `amparo demo`: fictitious but realistic people, each with one case, for demonstrations and
//! benchmarks. Names are drawn at random from lists of common given names and family names of
//! Mexico, Guatemala, Honduras, El Salvador and the United States; no list holds anyone's full
//! name, and no combination is meant to be anyone. Emails use the reserved `example.*`
//! domains and US phone numbers the fictitious 555-01xx range. The same seed gives the same
//! people (dates are counted back from today).
//!
//! Records go through `Amparo::seed_records`: the same checks, encryption, blind indexes and
//! audit entries as intake and case opening, a batch per transaction.

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use amparo_app::casework::{
    AppointmentInput, EntryDetail, GoalInput, GoalStep, LegalReliefInput, MilestoneInput, NeedsAssessmentInput,
    NoteInput, ServiceInput,
};
use amparo_app::records::{CaseFields, DemoRecord, PersonFields, SafeContact};
use amparo_app::{Amparo, Caller};
use amparo_domain::records::vocab::{
    self, ExploitationType, Gender, MeansOfControl, RecruitmentMethod, StatusDecidedBy,
};
use amparo_domain::records::{
    Answer, AppointmentPlace, CaseStatus, ClosureReason, ContactChannel, DeclineCode, GoalStatus, LegalReliefKind,
    LegalReliefStatus, MilestoneKind, NeedDomain, NeedRating, NoteKind, ServiceCategory, TraffickingStatus,
};
use amparo_domain::{OrgId, Role, UserId};

use crate::commands::Failure;

/// People written per transaction.
pub const BATCH: usize = 500;

// ---------------------------------------------------------------------------------------------
// Name lists (common names only; written for this file).

/// Common given names of women in Mexico and Central America.
const HISPANIC_F: &str = "\
    María, Guadalupe, Juana, Margarita, Verónica, Leticia, Rosa, Francisca, Teresa, Alejandra, Patricia, \
    Elizabeth, Gabriela, Adriana, Martha, Silvia, Araceli, Claudia, Yolanda, Maribel, Norma, Laura, \
    Lucía, Sofía, Daniela, Fernanda, Valeria, Ximena, Camila, Andrea, Karla, Mariana, Carmen, Josefina, \
    Isabel, Beatriz, Rocío, Susana, Liliana, Brenda, Diana, Paola, Jazmín, Itzel, Xóchitl, Citlali, \
    Nayeli, Yesenia, Erika, Miriam, Lorena, Graciela, Mercedes, Concepción, Esperanza, Dolores, Socorro, \
    Angélica, Cecilia, Mónica, Esmeralda, Reyna, Elena, Irma, Gloria, Alicia, Ana, Rosario, Sandra, \
    Viridiana, Guillermina, Estela, Antonia, Raquel, Blanca, Carolina, Natalia, Abigail, Jimena, Regina, \
    Renata, Montserrat, Dulce, Marisol, Anahí, Fabiola, Lourdes, Perla, Rubí, Alondra, Sara, Victoria, \
    Wendy, Yadira, Elvira, Fátima, Tania, Nancy, Gisela";

/// Common given names of men in Mexico and Central America.
const HISPANIC_M: &str = "\
    José, Juan, Luis, Jesús, Francisco, Antonio, Miguel, Pedro, Alejandro, Manuel, Ricardo, Jorge, \
    Roberto, Eduardo, Fernando, Carlos, Javier, Rafael, Martín, Raúl, Arturo, Sergio, Salvador, \
    Guillermo, Enrique, Ignacio, Alberto, Armando, Gerardo, Ramón, Víctor, Daniel, David, Mario, Héctor, \
    Óscar, Rubén, Pablo, Andrés, Ángel, Diego, Santiago, Mateo, Sebastián, Emiliano, Leonardo, Iván, \
    Julio, César, Hugo, Adrián, Alfredo, Gustavo, Rodrigo, Ernesto, Felipe, Gilberto, Gregorio, Hilario, \
    Isidro, Jaime, Joaquín, Lorenzo, Marco, Mauricio, Nicolás, Omar, Pascual, Rogelio, Saúl, Tomás, \
    Ulises, Valentín, Cuauhtémoc, Efraín, Esteban, Fidel, Genaro, Abel, Agustín, Benito, Cristian, \
    Domingo, Eliseo, Fabián, Germán, Israel, Jonathan, Leonel, Moisés, Noé, Octavio, Porfirio, Refugio, \
    Samuel, Teodoro, Uriel, Vicente, Alonso, Emilio";

/// Given names heard more often in Guatemala, Honduras and El Salvador.
const CENTRAL_AMERICAN_F: &str = "\
    Yeni, Jackeline, Heidy, Ingrid, Lesly, Glenda, Karen, Sulma, Sonia, Evelyn, Brenda, Kimberly, \
    Dayana, Yoselin, Marleny, Sindy, Dilcia, Reina, Iris, Mirna, Olga, Lilian, Marta, Ada, Vilma, Nelly, \
    Delmy, Gladys, Roxana, Xiomara, Yasmín, Ericka, Lidia, Keila, Nohemí, Osiris, Rosibel, Scarleth, \
    Tatiana, Zoila, Aracely, Blanca, Carmen, Damaris, Elsa, Flor, Griselda, Hilda, Irene, Jessica, \
    Katherine, Lucrecia, Magdalena, Noemy, Orfa, Paty, Rosalía, Sarahí, Telma, Vanesa";

const CENTRAL_AMERICAN_M: &str = "\
    Wilmer, Elmer, Darwin, Nelson, Maynor, Edwin, Kevin, Brayan, Josué, Marvin, Selvin, Erick, Wilson, \
    Byron, Mynor, Denis, Walter, Henry, Oscar, Cristian, Jefferson, Yonatan, Ever, Elder, Edgar, Rony, \
    Santos, Juan Carlos, Melvin, Norman, Osman, Rigoberto, Wálter, Axel, Bairon, Carlos, Danilo, Eduin, \
    Fredy, Gerson, Hernán, Isaac, Jairo, Kelvin, Lester, Milton, Noel, Orlando, Pedro, Remberto, Saúl, \
    Tránsito, Ulices, Vinicio, Wilfredo, Yovani, Zacarías, Abner, Baltazar, Cipriano";

/// Common given names in the United States.
const US_F: &str = "\
    Mary, Jennifer, Linda, Patricia, Elizabeth, Susan, Jessica, Sarah, Karen, Lisa, Nancy, Betty, \
    Sandra, Ashley, Emily, Michelle, Amanda, Melissa, Stephanie, Rebecca, Laura, Amy, Angela, Brittany, \
    Samantha, Katherine, Christina, Rachel, Megan, Hannah, Olivia, Emma, Ava, Madison, Abigail, Chloe, \
    Grace, Natalie, Brianna, Kayla, Tiffany, Crystal, Heather, Nicole, Danielle, Courtney, Amber, \
    Kimberly, Destiny, Jasmine, Alyssa, Taylor, Morgan, Haley, Jordan, Alexis, Sydney, Paige, Victoria, \
    Lauren, Shannon, Erin, Kelly, Holly, April, Monica, Vanessa, Erica, Tara, Kristen, Julia, Caroline, \
    Sierra, Autumn, Savannah, Mia, Aaliyah, Jada, Leah, Zoe";

const US_M: &str = "\
    James, Robert, John, Michael, William, David, Richard, Joseph, Thomas, Charles, Christopher, Daniel, \
    Matthew, Anthony, Mark, Donald, Steven, Paul, Andrew, Joshua, Kenneth, Kevin, Brian, George, \
    Timothy, Ronald, Jason, Jeffrey, Ryan, Jacob, Gary, Nicholas, Eric, Jonathan, Stephen, Larry, \
    Justin, Scott, Brandon, Benjamin, Samuel, Gregory, Alexander, Patrick, Frank, Raymond, Jack, Dennis, \
    Jerry, Tyler, Aaron, Nathan, Henry, Zachary, Kyle, Adam, Ethan, Noah, Logan, Dylan, Austin, Cody, \
    Travis, Dustin, Derek, Marcus, Darius, Malik, Jamal, Trevor, Caleb, Luke, Isaiah, Jeremiah, Devin, \
    Wesley, Shawn, Corey, Terrence, Elijah";

const MEXICAN_SURNAMES: &str = "\
    Hernández, García, Martínez, López, González, Pérez, Rodríguez, Sánchez, Ramírez, Cruz, Flores, \
    Gómez, Morales, Vázquez, Reyes, Jiménez, Torres, Díaz, Gutiérrez, Ruiz, Mendoza, Aguilar, Ortiz, \
    Moreno, Castillo, Romero, Álvarez, Méndez, Chávez, Rivera, Juárez, Ramos, Domínguez, Herrera, \
    Medina, Castro, Vargas, Guzmán, Velázquez, Muñoz, Rojas, Contreras, Salazar, Luna, Ortega, Santiago, \
    Guerrero, Bautista, Estrada, Cortés, Soto, Alvarado, Espinoza, Lara, Ávila, Ríos, Cervantes, Silva, \
    Delgado, Vega, Márquez, Sandoval, Fernández, León, Carrillo, Mejía, Solís, Núñez, Rosas, Valdez, \
    Ibarra, Campos, Santos, Camacho, Navarro, Peña, Maldonado, Rosales, Acosta, Miranda, Trejo, \
    Valencia, Nava, Pacheco, Robles, Molina, Rangel, Huerta, Cárdenas, Fuentes, Padilla, Ayala, Cabrera, \
    Montes, Salinas, Zavala, Olvera, Galindo, Escobar, Arellano, Barrera, Osorio, Villegas, Zamora, \
    Cisneros, Lozano, Tapia, Orozco, Quintero, Beltrán, Cuevas, Meza, Chan, Pech, Canul, Xool, Tzec, \
    Cauich, Hau, Mis";

/// Spanish family names common in Guatemala, with K'iche', Mam, Q'eqchi' and Kaqchikel ones.
const GUATEMALAN_SURNAMES: &str = "\
    López, García, Pérez, Hernández, Gómez, Rodríguez, Morales, Ramírez, Juárez, Castillo, Vásquez, \
    Cruz, Méndez, Ramos, Chávez, Velásquez, Ordóñez, Monterroso, Barrios, Orellana, Recinos, Cifuentes, \
    Godoy, Archila, Girón, Lemus, Paiz, Solórzano, Quiñónez, Cabrera, Aguilar, Escobar, Fuentes, \
    Maldonado, Marroquín, Alvarado, Salguero, Estrada, Arévalo, Santizo, Tzoc, Xoc, Coc, Pop, Caal, \
    Choc, Chub, Ical, Tiul, Xol, Cac, Bol, Chen, Maquín, Sicán, Yat, Ixcoy, Tuyuc, Ajpop, Tumax, Sapón, \
    Chumil, Batz, Sajché, Quisquiná, Chanchavac, Ixcot, Boror, Cumes, Xicará, Tzul, Cutzal, Tecún, \
    Ajanel, Cux, Yax, Poou, Tzunún, Ixtabalán, Simón, Saquic, Tax, Ajú, Mazariegos, Bámaca, Calel, Puac";

const HONDURAN_SURNAMES: &str = "\
    Hernández, López, Martínez, Rodríguez, García, Mejía, Flores, Cruz, Reyes, Sánchez, Zelaya, Cálix, \
    Banegas, Maradiaga, Funez, Ordóñez, Amaya, Zepeda, Bonilla, Rivera, Palma, Erazo, Matamoros, Lagos, \
    Turcios, Alvarado, Discua, Irías, Osorto, Sevilla, Paz, Barahona, Mendoza, Castro, Euceda, Aguilar, \
    Cárcamo, Cerrato, Chinchilla, Duarte, Espinal, Fiallos, Girón, Hándal, Lanza, Lobo, Madrid, Medina, \
    Midence, Moncada, Murillo, Núñez, Oyuela, Padilla, Pineda, Ponce, Posadas, Raudales, Rosa, Salgado, \
    Sierra, Suazo, Tábora, Urbina, Valladares, Varela, Velásquez, Villeda, Zavala, Zúniga, Andino, \
    Ávila, Bardales, Canales, Carías, Colindres, Cruz, Elvir, Gálvez, Izaguirre";

const SALVADORAN_SURNAMES: &str = "\
    Hernández, Martínez, López, García, Rodríguez, Flores, Rivera, Ramírez, Cruz, Pérez, Ayala, Argueta, \
    Chicas, Portillo, Alvarenga, Menjívar, Quintanilla, Rivas, Orellana, Escobar, Guardado, Henríquez, \
    Landaverde, Mejía, Cornejo, Aguilar, Molina, Villalta, Ventura, Melara, Carranza, Canales, Peña, \
    Rauda, Amaya, Alfaro, Lemus, Cañas, Abarca, Bonilla, Campos, Díaz, Durán, Fuentes, Guevara, Iraheta, \
    Jovel, Lazo, Mancía, Marroquín, Miranda, Montoya, Navarrete, Palacios, Pineda, Quijada, Recinos, \
    Romero, Sorto, Serrano, Tobar, Umaña, Valle, Velásquez, Zelaya, Zometa, Aparicio, Barrera, \
    Castaneda, Coto, Deras, Erroa, Galdámez, Linares, Márquez, Nolasco, Ortiz, Salmerón, Tejada, Vides";

const US_SURNAMES: &str = "\
    Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson, Taylor, Thomas, Moore, \
    Jackson, Martin, Lee, Thompson, White, Harris, Clark, Lewis, Robinson, Walker, Young, Allen, King, \
    Wright, Scott, Hill, Green, Adams, Baker, Nelson, Carter, Mitchell, Roberts, Turner, Phillips, \
    Campbell, Parker, Evans, Edwards, Collins, Stewart, Morris, Murphy, Cook, Rogers, Morgan, Cooper, \
    Peterson, Reed, Bailey, Bell, Kelly, Howard, Ward, Cox, Richardson, Wood, Watson, Brooks, Bennett, \
    Gray, James, Hughes, Price, Sanders, Myers, Long, Ross, Foster, Powell, Jenkins, Perry, Russell, \
    Sullivan, Butler, Barnes, Fisher, Henderson, Coleman, Simmons, Patterson, Jordan, Reynolds, \
    Hamilton, Graham, Wallace, Cole, West, Hayes, Bryant, Ellis, Stevens, Murray, Ford, Marshall, Owens, \
    Harrison, Wells";

/// Hypocoristics: the short names people go by.
const NICKNAMES: &[(&str, &[&str])] = &[
    ("Guadalupe", &["Lupita", "Lupe"]),
    ("María", &["Mari", "Mary"]),
    ("Teresa", &["Tere"]),
    ("Graciela", &["Chela"]),
    ("Mercedes", &["Meche"]),
    ("Gabriela", &["Gaby"]),
    ("Patricia", &["Paty"]),
    ("Alejandra", &["Ale"]),
    ("Leticia", &["Lety"]),
    ("Rosa", &["Rosy", "Rosita"]),
    ("Concepción", &["Conchita", "Concha"]),
    ("Dolores", &["Lola"]),
    ("Socorro", &["Coco"]),
    ("Francisca", &["Paquita", "Pancha"]),
    ("Margarita", &["Mague", "Magos"]),
    ("Esperanza", &["Lancha"]),
    ("Isabel", &["Chabela"]),
    ("Josefina", &["Chepina", "Fina"]),
    ("Fernanda", &["Fer"]),
    ("Daniela", &["Dani"]),
    ("Elizabeth", &["Eli", "Liz"]),
    ("Jennifer", &["Jenny"]),
    ("Katherine", &["Katie", "Kathy"]),
    ("José", &["Pepe", "Chepe"]),
    ("Jesús", &["Chuy", "Chucho"]),
    ("Francisco", &["Paco", "Pancho", "Kiko"]),
    ("Eduardo", &["Lalo"]),
    ("Guillermo", &["Memo"]),
    ("Ignacio", &["Nacho"]),
    ("Alberto", &["Beto"]),
    ("Roberto", &["Beto"]),
    ("Antonio", &["Toño"]),
    ("Enrique", &["Kike"]),
    ("Rodrigo", &["Rigo"]),
    ("Salvador", &["Chava"]),
    ("Alejandro", &["Alex", "Jando"]),
    ("Refugio", &["Cuco"]),
    ("Gerardo", &["Jerry"]),
    ("Santiago", &["Santi"]),
    ("Fernando", &["Fer", "Nando"]),
    ("Manuel", &["Manolo", "Meño"]),
    ("Ramón", &["Moncho"]),
    ("Rigoberto", &["Rigo"]),
    ("William", &["Bill", "Will"]),
    ("Robert", &["Bob", "Rob"]),
    ("Michael", &["Mike"]),
    ("Christopher", &["Chris"]),
];

const NICKNAMES_F: &[&str] =
    &["Güera", "Flaca", "Chata", "Nena", "Chaparrita", "Morena", "Peque", "Chiquis", "Cheli", "Nati", "Yoyis"];
const NICKNAMES_M: &[&str] =
    &["Güero", "Flaco", "Chato", "Chino", "Chaparro", "Nene", "Peque", "Primo", "Tito", "Güicho"];

// ---------------------------------------------------------------------------------------------
// Places, phones, words.

/// Where exploitation was reported, with weights; every code is checked against the vocabulary.
const US_PLACES: &[(&str, u32)] = &[
    ("US-TX", 38),
    ("US-CA", 20),
    ("US-AZ", 9),
    ("US-NM", 5),
    ("US-FL", 6),
    ("US-NY", 5),
    ("US-GA", 3),
    ("US-IL", 3),
    ("US-NC", 3),
    ("US-WA", 2),
    ("US-NV", 2),
    ("US-CO", 2),
    ("US-OK", 2),
];
const MX_PLACES: &[(&str, u32)] = &[
    ("MX-CHH", 16),
    ("MX-BCN", 14),
    ("MX-CMX", 12),
    ("MX-TAM", 9),
    ("MX-NLE", 7),
    ("MX-SON", 6),
    ("MX-JAL", 5),
    ("MX-CHP", 6),
    ("MX-MEX", 5),
    ("MX-OAX", 4),
    ("MX-ROO", 4),
    ("MX-GRO", 3),
    ("MX-COA", 3),
    ("MX-VER", 3),
    ("MX-SIN", 2),
    ("MX-PUE", 2),
];

const MX_AREA_2: &[&str] = &["55", "33", "81"];
const MX_AREA_3: &[&str] = &[
    "656", "664", "686", "899", "867", "868", "614", "222", "951", "961", "999", "998", "662", "871", "844", "477",
    "442", "631", "653", "833",
];
const US_AREA: &[&str] = &[
    "915", "956", "210", "512", "713", "214", "520", "602", "619", "213", "323", "505", "305", "404", "312", "212",
    "818", "909", "432", "830", "661", "559",
];

const CITIES: &str = "\
    Ciudad Juárez, Tijuana, El Paso, Mexicali, San Diego, Nuevo Laredo, Reynosa, Laredo, Nogales, \
    Tucson, Houston, Monterrey, Chihuahua, Matamoros, Brownsville, Tapachula";
const WORKPLACES: &str = "\
    el campo, una empacadora, un restaurante, una fábrica, la construcción, un taller de costura, una \
    casa particular, un hotel, una maquiladora, un bar, un vivero, una granja avícola";
const NARRATIVE_OPENINGS: &[&str] = &[
    "Llegó a la oficina por referencia de una trabajadora social de {city}.",
    "Se comunicó a la línea de ayuda y pidió una cita en persona en {city}.",
    "Llegó por referencia de una organización aliada de {city}.",
    "Refiere que le ofrecieron un empleo en {work} con un buen sueldo.",
    "Comenta que trabajó varios meses en {work} sin recibir el pago acordado.",
    "Refiere que un conocido le consiguió trabajo en {work} en {city}.",
    "Acudió a la feria de servicios de {city} y pidió información.",
];
const NARRATIVE_NEEDS: &[&str] = &[
    "Solicita orientación legal y apoyo para recuperar sus documentos.",
    "Pide apoyo para comunicarse con su familia.",
    "Requiere acompañamiento para una consulta médica de rutina.",
    "Prefiere que se le llame por las tardes.",
    "Le interesa recibir capacitación laboral.",
    "Solicita información sobre opciones migratorias.",
    "Pide apoyo con alojamiento temporal.",
    "Quiere inscribirse en clases de inglés.",
];
const STREETS: &str = "\
    Hidalgo, Morelos, Juárez, Independencia, Reforma, 5 de Mayo, Zaragoza, Allende, Madero, Guerrero, \
    Insurgentes, Libertad";
const COLONIAS: &str =
    "Centro, Las Flores, Del Valle, San José, Obrera, La Esperanza, Industrial, Los Pinos, El Mirador";
const COVER_STORIES: &[&str] = &[
    "Llamada de la clínica para confirmar una cita",
    "Encuesta de una tienda de ropa",
    "Aviso de la escuela",
    "Mensaje de una compañera del curso de costura",
    "Llamada de la parroquia",
    "Recordatorio del dentista",
];
const SAFE_TIMES: &[&str] = &[
    "Lunes a viernes de 9 a 13 h",
    "Por las tardes, después de las 18 h",
    "Fines de semana por la mañana",
    "Solo entre semana",
    "Martes y jueves a mediodía",
];
const CODE_WORDS: &[&str] = &["girasol", "mariposa", "colibrí", "naranja", "tortuga", "azul cielo", "lunes verde"];
const WHO_MAY_ANSWER: &[&str] =
    &["Solo la persona", "Su hermana", "Su madre", "Una compañera de cuarto de confianza", "Su tía"];
const EMAIL_DOMAINS: &[&str] = &["example.com", "example.net", "example.org"];

// ---------------------------------------------------------------------------------------------
// Helpers.

fn one<T: Copy>(rng: &mut StdRng, list: &[T]) -> T {
    list[rng.gen_range(0..list.len())]
}

fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total);
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

fn percent(rng: &mut StdRng, p: u32) -> bool {
    rng.gen_range(0..100) < p
}

fn decline(rng: &mut StdRng) -> DeclineCode {
    weighted(
        rng,
        &[(DeclineCode::PrefersNotToAnswer, 50), (DeclineCode::ClientDoesntKnow, 35), (DeclineCode::NotCollected, 15)],
    )
}

fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

/// Lower case without accents, for email addresses.
fn ascii_fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                'á' | 'Á' => 'a',
                'é' | 'É' => 'e',
                'í' | 'Í' => 'i',
                'ó' | 'Ó' => 'o',
                'ú' | 'Ú' | 'ü' | 'Ü' => 'u',
                'ñ' | 'Ñ' => 'n',
                c => c.to_ascii_lowercase(),
            };
            c.is_ascii_alphanumeric().then_some(c)
        })
        .collect()
}

/// Distinct picks: `n` of them (fewer when the list is short).
fn distinct<T: Copy + PartialEq>(rng: &mut StdRng, items: &[(T, u32)], n: usize) -> Vec<T> {
    let mut out = Vec::with_capacity(n);
    let mut guard = 0;
    while out.len() < n.min(items.len()) && guard < 100 {
        let t = weighted(rng, items);
        if !out.contains(&t) {
            out.push(t);
        }
        guard += 1;
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Mx,
    Gt,
    Hn,
    Sv,
    Us,
    /// Another Spanish-speaking country (the code).
    Other(&'static str),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sex {
    F,
    M,
}

// ---------------------------------------------------------------------------------------------
// The generator.

/// Makes one fictitious person and case at a time, from a seeded random stream.
pub struct Generator {
    rng: StdRng,
    today: NaiveDate,
    /// Case managers of the organisation, to assign cases to (none: unassigned).
    assignees: Vec<UserId>,
    us_places: Vec<(&'static str, u32)>,
    mx_places: Vec<(&'static str, u32)>,
    words: Words,
}

/// The word lists above, split once.
struct Words {
    hispanic_f: Vec<&'static str>,
    hispanic_m: Vec<&'static str>,
    central_american_f: Vec<&'static str>,
    central_american_m: Vec<&'static str>,
    us_f: Vec<&'static str>,
    us_m: Vec<&'static str>,
    mexican_surnames: Vec<&'static str>,
    guatemalan_surnames: Vec<&'static str>,
    honduran_surnames: Vec<&'static str>,
    salvadoran_surnames: Vec<&'static str>,
    us_surnames: Vec<&'static str>,
    cities: Vec<&'static str>,
    workplaces: Vec<&'static str>,
    streets: Vec<&'static str>,
    colonias: Vec<&'static str>,
}

/// A list written as one comma-separated literal.
fn list(s: &'static str) -> Vec<&'static str> {
    s.split(',').map(str::trim).filter(|w| !w.is_empty()).collect()
}

impl Words {
    fn new() -> Self {
        Self {
            hispanic_f: list(HISPANIC_F),
            hispanic_m: list(HISPANIC_M),
            central_american_f: list(CENTRAL_AMERICAN_F),
            central_american_m: list(CENTRAL_AMERICAN_M),
            us_f: list(US_F),
            us_m: list(US_M),
            mexican_surnames: list(MEXICAN_SURNAMES),
            guatemalan_surnames: list(GUATEMALAN_SURNAMES),
            honduran_surnames: list(HONDURAN_SURNAMES),
            salvadoran_surnames: list(SALVADORAN_SURNAMES),
            us_surnames: list(US_SURNAMES),
            cities: list(CITIES),
            workplaces: list(WORKPLACES),
            streets: list(STREETS),
            colonias: list(COLONIAS),
        }
    }
}

impl std::fmt::Debug for Generator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generator").field("today", &self.today).finish_non_exhaustive()
    }
}

/// The weighted places of one country, each checked against the vocabulary, with the other
/// states of that country as a thin tail.
fn places_of(prefix: &str, preferred: &[(&'static str, u32)]) -> Vec<(&'static str, u32)> {
    let known = vocab::all_places();
    let mut out: Vec<(&'static str, u32)> = Vec::new();
    for &(code, _) in known.iter().filter(|(c, _)| c.starts_with(prefix)) {
        let w = preferred.iter().find(|(p, _)| *p == code).map_or(0, |(_, w)| w * 20);
        // Every state appears now and then; the border and the big cities far more often.
        out.push((code, if w > 0 { w } else { 1 }));
    }
    out
}

impl Generator {
    pub fn new(seed: u64, today: NaiveDate, assignees: Vec<UserId>) -> Self {
        Self {
            rng: StdRng::seed_from_u64(seed),
            today,
            assignees,
            us_places: places_of("US-", US_PLACES),
            mx_places: places_of("MX-", MX_PLACES),
            words: Words::new(),
        }
    }

    pub fn record(&mut self) -> DemoRecord {
        let origin = weighted(
            &mut self.rng,
            &[
                (Origin::Mx, 620),
                (Origin::Gt, 130),
                (Origin::Hn, 100),
                (Origin::Sv, 70),
                (Origin::Us, 50),
                (Origin::Other("VE"), 10),
                (Origin::Other("CO"), 6),
                (Origin::Other("CU"), 5),
                (Origin::Other("NI"), 5),
                (Origin::Other("EC"), 4),
            ],
        );
        let gender = weighted(
            &mut self.rng,
            &[
                (Some(Gender::Feminine), 600),
                (Some(Gender::Masculine), 330),
                (Some(Gender::TransgenderFeminine), 20),
                (Some(Gender::TransgenderMasculine), 5),
                (Some(Gender::NonConforming), 5),
                (Some(Gender::NonSpecifiedUnknown), 10),
                (None, 30),
            ],
        );
        let sex = match gender {
            Some(Gender::Feminine | Gender::TransgenderFeminine) => Sex::F,
            Some(Gender::Masculine | Gender::TransgenderMasculine) => Sex::M,
            _ => {
                if percent(&mut self.rng, 60) {
                    Sex::F
                } else {
                    Sex::M
                }
            }
        };
        let age = self.age();
        let mut p = PersonFields::default();
        let (given, family) = self.name(origin, sex);
        // Some people give only the name they want to be called, at first.
        let alias_only = percent(&mut self.rng, 4);
        let wants_alias = alias_only || percent(&mut self.rng, 58);
        if wants_alias {
            p.alias = Some(Answer::Value(self.nickname(&given, sex)));
        }
        if !alias_only {
            p.given_name = Some(Answer::Value(given.clone()));
            p.family_name = Some(match family.clone() {
                Some(f) if !percent(&mut self.rng, 3) => Answer::Value(f),
                _ => Answer::Declined(DeclineCode::PrefersNotToAnswer),
            });
        }
        p.gender = Some(match gender {
            Some(g) => Answer::Value(g.code().to_owned()),
            None => Answer::Declined(decline(&mut self.rng)),
        });
        self.birth(&mut p, age);
        p.citizenship = Some(self.citizenship(origin));
        self.languages(&mut p, origin);
        if percent(&mut self.rng, 45) {
            let size = weighted(&mut self.rng, &[(1, 20), (2, 20), (3, 20), (4, 18), (5, 12), (6, 6), (7, 3), (8, 1)]);
            p.household_size = Some(Answer::Value(size));
            if age >= 18 {
                p.dependants = Some(Answer::Value(self.rng.gen_range(0..size.min(5))));
            }
        }
        if percent(&mut self.rng, 78) {
            p.phone = Some(if percent(&mut self.rng, 3) {
                Answer::Declined(DeclineCode::PrefersNotToAnswer)
            } else {
                Answer::Value(self.phone(origin))
            });
        }
        let has_email = percent(&mut self.rng, if age < 18 { 10 } else { 30 });
        if has_email {
            p.email = Some(Answer::Value(self.email(&given, family.as_deref())));
        }
        if percent(&mut self.rng, 12) {
            p.address = Some(if percent(&mut self.rng, 35) {
                Answer::Declined(DeclineCode::PrefersNotToAnswer)
            } else {
                Answer::Value(self.address())
            });
        }
        if percent(&mut self.rng, 18) {
            p.narrative = Some(self.narrative());
        }
        p.safe_contact = Some(self.safe_contact(has_email));
        let case = self.case(age);
        let work = self.work(&case);
        DemoRecord { person: p, case, work }
    }

    /// Ages 14 to 60, most between 18 and 35, some minors.
    fn age(&mut self) -> i32 {
        let band = weighted(&mut self.rng, &[(0, 12), (1, 60), (2, 21), (3, 7)]);
        match band {
            0 => self.rng.gen_range(14..=17),
            1 => self.rng.gen_range(18..=35),
            2 => self.rng.gen_range(36..=45),
            _ => self.rng.gen_range(46..=60),
        }
    }

    fn name(&mut self, origin: Origin, sex: Sex) -> (String, Option<String>) {
        let w = &self.words;
        let rng = &mut self.rng;
        let hispanic = |rng: &mut StdRng, central: bool| -> String {
            let (common, regional) = match sex {
                Sex::F => (&w.hispanic_f, &w.central_american_f),
                Sex::M => (&w.hispanic_m, &w.central_american_m),
            };
            let first = if central && percent(rng, 45) { one(rng, regional) } else { one(rng, common) };
            // Compound given names: María Guadalupe, José Luis, Juan Carlos.
            if percent(rng, 22) && !first.contains(' ') {
                let second = one(rng, common);
                if second != first {
                    let lead = match sex {
                        Sex::F => "María",
                        Sex::M => one(rng, &["José", "Juan", "Luis"]),
                    };
                    return if percent(rng, 60) && lead != first {
                        format!("{lead} {first}")
                    } else {
                        format!("{first} {second}")
                    };
                }
            }
            first.to_owned()
        };
        let two = |rng: &mut StdRng, list: &[&'static str]| -> String {
            let a = one(rng, list);
            if percent(rng, 8) {
                return a.to_owned();
            }
            let mut b = one(rng, list);
            if b == a {
                b = one(rng, list);
            }
            format!("{a} {b}")
        };
        match origin {
            Origin::Mx => (hispanic(rng, false), Some(two(rng, &w.mexican_surnames))),
            Origin::Gt => (hispanic(rng, true), Some(two(rng, &w.guatemalan_surnames))),
            Origin::Hn => (hispanic(rng, true), Some(two(rng, &w.honduran_surnames))),
            Origin::Sv => (hispanic(rng, true), Some(two(rng, &w.salvadoran_surnames))),
            Origin::Other(_) => (hispanic(rng, false), Some(two(rng, &w.mexican_surnames))),
            Origin::Us => {
                if percent(rng, 40) {
                    // Mexican-American: often one family name, sometimes both.
                    let given = if percent(rng, 50) {
                        hispanic(rng, false)
                    } else {
                        one(rng, if sex == Sex::F { &w.us_f } else { &w.us_m }).to_owned()
                    };
                    let family = if percent(rng, 65) {
                        one(rng, &w.mexican_surnames).to_owned()
                    } else {
                        two(rng, &w.mexican_surnames)
                    };
                    (given, Some(family))
                } else {
                    let given = one(rng, if sex == Sex::F { &w.us_f } else { &w.us_m }).to_owned();
                    (given, Some(one(rng, &w.us_surnames).to_owned()))
                }
            }
        }
    }

    fn nickname(&mut self, given: &str, sex: Sex) -> String {
        let words: Vec<&str> = given.split(' ').collect();
        for w in words.iter().rev() {
            if let Some((_, nicks)) = NICKNAMES.iter().find(|(n, _)| n == w)
                && percent(&mut self.rng, 75)
            {
                return one(&mut self.rng, nicks).to_owned();
            }
        }
        if percent(&mut self.rng, 30) {
            // A diminutive of the given name: Carmencita, Juanito.
            let w = words.last().copied().unwrap_or(given);
            let stem = w.strip_suffix(['a', 'o']).unwrap_or(w);
            if stem.chars().count() >= 3 && !stem.ends_with(['á', 'é', 'í', 'ó', 'ú']) {
                return format!("{stem}{}", if sex == Sex::F { "ita" } else { "ito" });
            }
        }
        one(&mut self.rng, if sex == Sex::F { NICKNAMES_F } else { NICKNAMES_M }).to_owned()
    }

    fn birth(&mut self, p: &mut PersonFields, age: i32) {
        match weighted(&mut self.rng, &[(0, 66), (1, 24), (2, 6), (3, 4)]) {
            0 => {
                let days = i64::from(age) * 365 + i64::from(age / 4) + self.rng.gen_range(0..365);
                let date = self.today - Duration::days(days);
                p.birth_date = Some(Answer::Value(date.format("%Y-%m-%d").to_string()));
            }
            1 => p.estimated_age = Some(Answer::Value(age)),
            2 => p.birth_date = Some(Answer::Declined(decline(&mut self.rng))),
            _ => {}
        }
    }

    fn citizenship(&mut self, origin: Origin) -> Vec<String> {
        let own = match origin {
            Origin::Mx => "MX",
            Origin::Gt => "GT",
            Origin::Hn => "HN",
            Origin::Sv => "SV",
            Origin::Us => "US",
            Origin::Other(c) => c,
        };
        let mut v = vec![own.to_owned()];
        match origin {
            Origin::Mx if percent(&mut self.rng, 3) => v.push("US".into()),
            Origin::Us if percent(&mut self.rng, 10) => v.push("MX".into()),
            Origin::Gt if percent(&mut self.rng, 2) => v.push("MX".into()),
            _ => {}
        }
        v
    }

    fn languages(&mut self, p: &mut PersonFields, origin: Origin) {
        let indigenous = match origin {
            Origin::Mx if percent(&mut self.rng, 9) => {
                Some(weighted(&mut self.rng, &[("nah", 35), ("zap", 20), ("mix", 15), ("yua", 15), ("tzo", 15)]))
            }
            Origin::Gt if percent(&mut self.rng, 35) => Some(weighted(&mut self.rng, &[("mam", 50), ("quc", 50)])),
            _ => None,
        };
        let primary = match (indigenous, origin) {
            (Some(l), _) => l,
            (None, Origin::Us) => {
                if percent(&mut self.rng, 78) {
                    "en"
                } else {
                    "es"
                }
            }
            (None, _) => {
                if percent(&mut self.rng, 2) {
                    "en"
                } else {
                    "es"
                }
            }
        };
        p.primary_language = Some(if percent(&mut self.rng, 2) {
            Answer::Declined(DeclineCode::NotCollected)
        } else {
            Answer::Value(primary.to_owned())
        });
        let mut others = Vec::new();
        if indigenous.is_some() && percent(&mut self.rng, 55) {
            others.push("es".to_owned());
        }
        if primary == "es" && percent(&mut self.rng, if origin == Origin::Us { 90 } else { 12 }) {
            others.push("en".to_owned());
        }
        if primary == "en" && percent(&mut self.rng, 50) {
            others.push("es".to_owned());
        }
        if !others.is_empty() {
            p.languages = Some(others);
        }
        if percent(&mut self.rng, 88) {
            let needs = match indigenous {
                Some(_) => percent(&mut self.rng, 75),
                None => percent(&mut self.rng, 3),
            };
            p.interpreter_needed = Some(if percent(&mut self.rng, 2) {
                Answer::Declined(DeclineCode::NotCollected)
            } else {
                Answer::Value(needs)
            });
        }
    }

    fn phone(&mut self, origin: Origin) -> String {
        #[derive(Clone, Copy)]
        enum Plan {
            Mx,
            Us,
            Own(&'static str),
        }
        let plan = match origin {
            Origin::Mx => weighted(&mut self.rng, &[(Plan::Mx, 70), (Plan::Us, 30)]),
            Origin::Us => weighted(&mut self.rng, &[(Plan::Us, 95), (Plan::Mx, 5)]),
            Origin::Gt => weighted(&mut self.rng, &[(Plan::Own("502"), 45), (Plan::Mx, 35), (Plan::Us, 20)]),
            Origin::Hn => weighted(&mut self.rng, &[(Plan::Own("504"), 45), (Plan::Mx, 35), (Plan::Us, 20)]),
            Origin::Sv => weighted(&mut self.rng, &[(Plan::Own("503"), 45), (Plan::Mx, 35), (Plan::Us, 20)]),
            Origin::Other(_) => weighted(&mut self.rng, &[(Plan::Mx, 50), (Plan::Us, 50)]),
        };
        let local = percent(&mut self.rng, 10);
        match plan {
            Plan::Mx => {
                if percent(&mut self.rng, 30) {
                    let area = one(&mut self.rng, MX_AREA_2);
                    let (a, b) = (digits(&mut self.rng, 4), digits(&mut self.rng, 4));
                    if local { format!("{area} {a} {b}") } else { format!("+52 {area} {a} {b}") }
                } else {
                    let area = one(&mut self.rng, MX_AREA_3);
                    let (a, b) = (digits(&mut self.rng, 3), digits(&mut self.rng, 4));
                    if local { format!("{area} {a} {b}") } else { format!("+52 {area} {a} {b}") }
                }
            }
            Plan::Us => {
                // 555-0100 to 555-0199 are reserved for fiction.
                let area = one(&mut self.rng, US_AREA);
                let n = digits(&mut self.rng, 2);
                if local { format!("({area}) 555-01{n}") } else { format!("+1 {area} 555 01{n}") }
            }
            Plan::Own(cc) => {
                let first = match cc {
                    "502" => one(&mut self.rng, &['3', '4', '5']),
                    "504" => one(&mut self.rng, &['3', '8', '9']),
                    _ => one(&mut self.rng, &['6', '7']),
                };
                let (a, b) = (digits(&mut self.rng, 3), digits(&mut self.rng, 4));
                format!("+{cc} {first}{a} {b}")
            }
        }
    }

    fn email(&mut self, given: &str, family: Option<&str>) -> String {
        let g = ascii_fold(given.split(' ').next().unwrap_or(given));
        let f = family.map(|f| ascii_fold(f.split(' ').next().unwrap_or(f))).unwrap_or_default();
        let sep = one(&mut self.rng, &[".", "_", ""]);
        let tail = if percent(&mut self.rng, 60) { digits(&mut self.rng, 2) } else { String::new() };
        let domain = one(&mut self.rng, EMAIL_DOMAINS);
        if f.is_empty() { format!("{g}{tail}@{domain}") } else { format!("{g}{sep}{f}{tail}@{domain}") }
    }

    fn address(&mut self) -> String {
        let street = one(&mut self.rng, &self.words.streets);
        let number = self.rng.gen_range(1..2000);
        let colonia = one(&mut self.rng, &self.words.colonias);
        let city = one(&mut self.rng, &self.words.cities);
        format!("Calle {street} {number}, Col. {colonia}, {city}")
    }

    fn narrative(&mut self) -> String {
        let w = &self.words;
        let fill = |t: &str, rng: &mut StdRng| {
            t.replace("{city}", one(rng, &w.cities)).replace("{work}", one(rng, &w.workplaces))
        };
        let first = fill(one(&mut self.rng, NARRATIVE_OPENINGS), &mut self.rng);
        if percent(&mut self.rng, 60) {
            let second = one(&mut self.rng, NARRATIVE_NEEDS);
            format!("{first} {second}")
        } else {
            first
        }
    }

    fn safe_contact(&mut self, has_email: bool) -> Vec<SafeContact> {
        let channels: &[(ContactChannel, u32)] = if has_email {
            &[
                (ContactChannel::Whatsapp, 30),
                (ContactChannel::Phone, 25),
                (ContactChannel::InPerson, 20),
                (ContactChannel::Sms, 12),
                (ContactChannel::Email, 14),
                (ContactChannel::Mail, 4),
            ]
        } else {
            &[
                (ContactChannel::Whatsapp, 30),
                (ContactChannel::Phone, 25),
                (ContactChannel::InPerson, 20),
                (ContactChannel::Sms, 12),
                (ContactChannel::Mail, 4),
            ]
        };
        let n = weighted(&mut self.rng, &[(1usize, 50), (2, 35), (3, 15)]);
        let mut out = Vec::new();
        for channel in distinct(&mut self.rng, channels, n) {
            let rng = &mut self.rng;
            let may_name_agency = percent(rng, 35);
            out.push(SafeContact {
                channel: Some(channel),
                safe: percent(rng, 85),
                voicemail_ok: matches!(channel, ContactChannel::Phone) && percent(rng, 30),
                may_name_agency,
                cover_story: (!may_name_agency && percent(rng, 60)).then(|| one(rng, COVER_STORIES).to_owned()),
                safe_times: percent(rng, 45).then(|| one(rng, SAFE_TIMES).to_owned()),
                code_word: percent(rng, 15).then(|| one(rng, CODE_WORDS).to_owned()),
                who_may_answer: (channel == ContactChannel::Phone && percent(rng, 40))
                    .then(|| one(rng, WHO_MAY_ANSWER).to_owned()),
            });
        }
        out
    }

    fn case(&mut self, age: i32) -> CaseFields {
        let rng = &mut self.rng;
        let mut c = CaseFields::default();
        // Opened over the last three years, more of them recently.
        let days_ago = (rng.gen_range(0.0f64..1.0).powf(1.3) * 1095.0) as i64;
        let opened = self.today - Duration::days(days_ago);
        c.opened_on = Some(opened);
        let closed_share = if days_ago < 60 { 3 } else { 22 };
        let status = if percent(rng, closed_share) {
            if percent(rng, 25) { CaseStatus::ClosedReferred } else { CaseStatus::Closed }
        } else if percent(rng, if days_ago < 90 { 20 } else { 45 }) {
            CaseStatus::FollowUp
        } else {
            CaseStatus::Active
        };
        c.status = Some(status.code().to_owned());
        if status.is_closed() {
            let reason = if status == CaseStatus::ClosedReferred {
                ClosureReason::ReferredElsewhere
            } else {
                weighted(
                    rng,
                    &[
                        (ClosureReason::GoalsMet, 40),
                        (ClosureReason::LostContact, 22),
                        (ClosureReason::ClientChoseToEnd, 16),
                        (ClosureReason::MovedAway, 12),
                        (ClosureReason::NotEligible, 5),
                        (ClosureReason::Other, 5),
                    ],
                )
            };
            c.closure_reason = Some(reason.code().to_owned());
            c.closed_on = Some(opened + Duration::days(rng.gen_range(0..=days_ago)));
        }
        let ts = weighted(
            rng,
            &[
                (TraffickingStatus::Possible, 45),
                (TraffickingStatus::Actual, 45),
                (TraffickingStatus::NotTrafficked, 10),
            ],
        );
        c.trafficking_status = Some(ts.code().to_owned());
        let decided = match ts {
            TraffickingStatus::Actual => Some(weighted(
                rng,
                &[
                    (StatusDecidedBy::Ngo, 50),
                    (StatusDecidedBy::Police, 15),
                    (StatusDecidedBy::CourtOrProsecution, 15),
                    (StatusDecidedBy::NonPoliceGovernmentalOrganization, 15),
                    (StatusDecidedBy::Other, 5),
                ],
            )),
            TraffickingStatus::NotTrafficked => Some(StatusDecidedBy::Ngo),
            TraffickingStatus::Possible => percent(rng, 30).then_some(StatusDecidedBy::Ngo),
        };
        c.status_decided_by = decided.map(|d| d.code().to_owned());
        let minor = age < 18;
        let exploitation: &[(ExploitationType, u32)] = &[
            (ExploitationType::ForcedLabour, 50),
            (ExploitationType::SexualExploitation, 36),
            (ExploitationType::Servitude, 5),
            (ExploitationType::ForcedCriminality, 4),
            (ExploitationType::ForcedBegging, 2),
            (ExploitationType::ForcedMarriage, 2),
            (ExploitationType::ChildLabour, if minor { 20 } else { 0 }),
            (ExploitationType::Other, 2),
        ];
        let n = if percent(rng, 18) { 2 } else { 1 };
        c.exploitation_types = Some(distinct(rng, exploitation, n).into_iter().map(|e| e.code().to_owned()).collect());
        let means: &[(MeansOfControl, u32)] = &[
            (MeansOfControl::FalsePromises, 30),
            (MeansOfControl::DebtBondage, 24),
            (MeansOfControl::WithholdsDocuments, 20),
            (MeansOfControl::ThreatsLawEnforcement, 18),
            (MeansOfControl::TakesEarnings, 16),
            (MeansOfControl::PsychologicalAbuse, 16),
            (MeansOfControl::PhysicalThreats, 14),
            (MeansOfControl::ExcessiveWorkingHours, 14),
            (MeansOfControl::ThreatensChildrenFamily, 10),
            (MeansOfControl::RestrictsFinancialAccess, 8),
            (MeansOfControl::WithholdsNecessities, 6),
            (MeansOfControl::PhysicalAbuse, 6),
            (MeansOfControl::RestrictsMedicalCare, 4),
            (MeansOfControl::SexualAbuse, 4),
            (MeansOfControl::PsychoactiveSubstance, 3),
            (MeansOfControl::Other, 2),
        ];
        let n = weighted(rng, &[(1usize, 30), (2, 35), (3, 22), (4, 13)]);
        c.means_of_control = Some(distinct(rng, means, n).into_iter().map(|m| m.code().to_owned()).collect());
        if percent(rng, 90) {
            let r = weighted(
                rng,
                &[
                    (RecruitmentMethod::ThroughFriendsOrSocialEvents, 26),
                    (RecruitmentMethod::ThroughOnlineSocialNetworks, 22),
                    (RecruitmentMethod::ThroughFamilyOrFamilyEvents, 15),
                    (RecruitmentMethod::AtWork, 12),
                    (RecruitmentMethod::ThroughAnOnlineAdvertisement, 10),
                    (RecruitmentMethod::AtAPlaceOfBusiness, 8),
                    (RecruitmentMethod::ThroughANewspaperAdvert, 2),
                    (RecruitmentMethod::AtAnEducationalInstitution, 2),
                    (RecruitmentMethod::Other, 3),
                ],
            );
            c.recruitment = Some(r.code().to_owned());
        }
        let where_ = weighted(rng, &[(0u8, 46), (1, 48), (2, 6)]);
        let mut countries = Vec::new();
        let mut places = Vec::new();
        if where_ != 1 {
            countries.push("US".to_owned());
            let n = if percent(rng, 12) { 2 } else { 1 };
            places.extend(distinct(rng, &self.us_places, n).into_iter().map(str::to_owned));
        }
        if where_ != 0 {
            countries.push("MX".to_owned());
            let n = if percent(rng, 12) { 2 } else { 1 };
            places.extend(distinct(rng, &self.mx_places, n).into_iter().map(str::to_owned));
        }
        c.countries = Some(countries);
        c.places = Some(places);
        // Always draw, so the stream does not depend on how many case managers there are.
        let pick = rng.gen_range(0..u32::MAX);
        let restricted = percent(rng, 2);
        if !self.assignees.is_empty() {
            let a = self.assignees[pick as usize % self.assignees.len()];
            c.assigned_to = Some(a);
            c.team = Some(vec![a]);
            c.restricted = Some(restricted);
        }
        c
    }
}

// ---------------------------------------------------------------------------------------------
// Case work: a few plausible entries per case (needs, goals, services, appointments,
// milestones, legal relief, a note), dated within the case's life.

/// Goals as survivors put them (Spanish mostly, some English), with their domain.
const GOALS: &[(NeedDomain, &str, &str)] = &[
    (NeedDomain::Housing, "es", "Tener un cuarto propio donde me sienta segura"),
    (NeedDomain::Housing, "es", "Rentar un departamento cerca del trabajo"),
    (NeedDomain::Employment, "es", "Conseguir un trabajo con contrato y con mis papeles"),
    (NeedDomain::Employment, "en", "Get a job where I am paid every week"),
    (NeedDomain::LegalImmigration, "es", "Arreglar mis papeles para no tener miedo"),
    (NeedDomain::LegalImmigration, "es", "Recuperar mi pasaporte y mi acta de nacimiento"),
    (NeedDomain::Education, "es", "Aprender inglés para defenderme sola"),
    (NeedDomain::Education, "es", "Terminar la secundaria abierta"),
    (NeedDomain::ChildrenFamily, "es", "Que mis hijos estén conmigo otra vez"),
    (NeedDomain::ChildrenFamily, "es", "Hablar con mi mamá cada semana"),
    (NeedDomain::MentalHealth, "es", "Dormir sin pesadillas"),
    (NeedDomain::PhysicalHealth, "es", "Ir al dentista y que me arreglen la muela"),
    (NeedDomain::Finances, "es", "Abrir una cuenta y ahorrar un poco cada quincena"),
    (NeedDomain::Finances, "en", "Pay off what I owe without anyone controlling my money"),
    (NeedDomain::Transport, "es", "Saber moverme en camión por la ciudad"),
    (NeedDomain::Safety, "es", "Que él no sepa dónde vivo"),
    (NeedDomain::CommunityFaith, "es", "Volver a ir a misa los domingos"),
];

const GOAL_STEPS: &[(&str, &str)] = &[
    ("Llamar a la oficina de vivienda", "la persona"),
    ("Acompañarla a la cita", "su acompañante"),
    ("Juntar comprobantes de ingresos", "la persona"),
    ("Pedir la carta de la organización", "gestión de caso"),
    ("Revisar opciones con la abogada", "asesoría jurídica"),
];

const NOTES: &[(NoteKind, &str, &str)] = &[
    (NoteKind::Contact, "es", "Llamada breve. Dice que está bien y que ya fue a la clínica."),
    (NoteKind::Contact, "es", "Nos vimos en la oficina. Trajo sus documentos; revisamos la solicitud."),
    (NoteKind::Contact, "en", "Met at the office; she asked about evening English classes."),
    (NoteKind::Outreach, "es", "Mensaje por WhatsApp con la palabra clave acordada; respondió al día siguiente."),
    (NoteKind::Outreach, "es", "No contestó. Se deja recado según lo acordado."),
    (
        NoteKind::Supervision,
        "es",
        "Revisión en supervisión: plan de seguridad al día, seguir con la búsqueda de trabajo.",
    ),
    (NoteKind::General, "es", "Se actualizó el plan con lo que ella decidió cambiar."),
];

const OWN_MILESTONES: &[&str] = &[
    "Hice mi primera comida para mis amigas",
    "Fui sola al mercado y regresé sin miedo",
    "Manejé mi propio dinero todo el mes",
    "Dije que no y no pasó nada malo",
];

const SERVICES: &[(ServiceCategory, u32)] = &[
    (ServiceCategory::CaseManagement, 30),
    (ServiceCategory::Accompaniment, 14),
    (ServiceCategory::LegalAid, 12),
    (ServiceCategory::BasicNecessities, 10),
    (ServiceCategory::Housing, 8),
    (ServiceCategory::MentalHealth, 8),
    (ServiceCategory::Healthcare, 6),
    (ServiceCategory::Interpretation, 4),
    (ServiceCategory::Transport, 5),
    (ServiceCategory::CrisisIntervention, 4),
    (ServiceCategory::Employment, 4),
    (ServiceCategory::Education, 3),
    (ServiceCategory::Childcare, 2),
    (ServiceCategory::FinancialAssistance, 2),
    (ServiceCategory::DentalCare, 1),
    (ServiceCategory::FamilyReunification, 1),
];

impl Generator {
    /// A day between two days (inclusive); `from` when `to` is earlier.
    fn day_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0);
        from + Duration::days(self.rng.gen_range(0..=span))
    }

    fn work(&mut self, case: &CaseFields) -> Vec<EntryDetail> {
        let today = self.today;
        let opened = case.opened_on.unwrap_or(today);
        let last = case.closed_on.unwrap_or(today).min(today);
        let open = case.closed_on.is_none();
        let assignee = case.assigned_to;
        let mut out = Vec::new();
        if percent(&mut self.rng, 30) {
            let ratings = NeedDomain::ALL
                .iter()
                .map(|d| {
                    let r = weighted(
                        &mut self.rng,
                        &[
                            (NeedRating::InCrisis, 15),
                            (NeedRating::Vulnerable, 35),
                            (NeedRating::Stable, 25),
                            (NeedRating::Safe, 10),
                            (NeedRating::Thriving, 3),
                            (NeedRating::NotDiscussed, 12),
                        ],
                    );
                    (d.code().to_owned(), r.code().to_owned())
                })
                .collect();
            let date = self.day_between(opened, (opened + Duration::days(14)).min(last));
            out.push(EntryDetail::NeedAssessment(NeedsAssessmentInput { date, ratings, ..Default::default() }));
        }
        for _ in 0..weighted(&mut self.rng, &[(0usize, 45), (1, 45), (2, 10)]) {
            let (domain, language, text) = one(&mut self.rng, GOALS);
            let age = (last - opened).num_days();
            let status = if !open || age > 300 {
                weighted(
                    &mut self.rng,
                    &[
                        (GoalStatus::Achieved, 50),
                        (GoalStatus::ChangedBySurvivor, 20),
                        (GoalStatus::Open, 20),
                        (GoalStatus::Paused, 10),
                    ],
                )
            } else {
                weighted(&mut self.rng, &[(GoalStatus::Open, 80), (GoalStatus::Achieved, 10), (GoalStatus::Paused, 10)])
            };
            let steps = if percent(&mut self.rng, 60) {
                let (step, who) = one(&mut self.rng, GOAL_STEPS);
                vec![GoalStep { text: step.to_owned(), who: Some(who.to_owned()) }]
            } else {
                Vec::new()
            };
            out.push(EntryDetail::Goal(GoalInput {
                domain: domain.code().to_owned(),
                text: text.to_owned(),
                chosen_by_survivor: percent(&mut self.rng, 80),
                language: Some(language.to_owned()),
                steps,
                responsible: assignee,
                target_on: Some(opened + Duration::days(self.rng.gen_range(60..=365))),
                status: Some(status.code().to_owned()),
                version: None,
            }));
        }
        for _ in 0..weighted(&mut self.rng, &[(1usize, 65), (2, 25), (3, 10)]) {
            let category = weighted(&mut self.rng, SERVICES);
            let interpreter = percent(&mut self.rng, 8);
            out.push(EntryDetail::Service(ServiceInput {
                category: category.code().to_owned(),
                date: self.day_between(opened, last),
                minutes: Some(weighted(
                    &mut self.rng,
                    &[(15, 10), (30, 30), (45, 15), (60, 25), (90, 10), (120, 7), (240, 3)],
                )),
                delivered_by: assignee,
                interpreter_used: interpreter,
                interpreter_language: interpreter
                    .then(|| one(&mut self.rng, &["mam", "quc", "nah", "en", "kek"]).to_owned()),
                follow_up_on: (open && percent(&mut self.rng, 15))
                    .then(|| today + Duration::days(self.rng.gen_range(-20..=30))),
                notes: None,
                custom: None,
                version: None,
            }));
        }
        if open && percent(&mut self.rng, 20) {
            out.push(EntryDetail::Appointment(AppointmentInput {
                date: today + Duration::days(self.rng.gen_range(0..=30)),
                time: Some(format!("{:02}:{}", self.rng.gen_range(8..=17), one(&mut self.rng, &["00", "30"]))),
                place: Some(
                    weighted(
                        &mut self.rng,
                        &[
                            (AppointmentPlace::Office, 30),
                            (AppointmentPlace::Court, 12),
                            (AppointmentPlace::ImmigrationOffice, 12),
                            (AppointmentPlace::Clinic, 15),
                            (AppointmentPlace::Consulate, 8),
                            (AppointmentPlace::LawEnforcement, 8),
                            (AppointmentPlace::PhoneOrVideo, 15),
                        ],
                    )
                    .code()
                    .to_owned(),
                ),
                purpose: Some("Revisar documentos y próximos pasos".to_owned()),
                category: Some(
                    one(
                        &mut self.rng,
                        &[ServiceCategory::Accompaniment, ServiceCategory::LegalAid, ServiceCategory::Healthcare],
                    )
                    .code()
                    .to_owned(),
                ),
                accompanied_by: assignee,
                reminder_days: Some(1),
                status: None,
                follow_up_on: None,
                version: None,
            }));
        }
        if (last - opened).num_days() > 180 {
            for _ in 0..weighted(&mut self.rng, &[(0usize, 70), (1, 25), (2, 5)]) {
                let kind = weighted(
                    &mut self.rng,
                    &[
                        (MilestoneKind::Job, 20),
                        (MilestoneKind::FirstApartment, 15),
                        (MilestoneKind::BankAccount, 15),
                        (MilestoneKind::IdentityDocuments, 15),
                        (MilestoneKind::PublicTransportAlone, 10),
                        (MilestoneKind::SchoolEnrolment, 10),
                        (MilestoneKind::Reunification, 5),
                        (MilestoneKind::Children, 5),
                        (MilestoneKind::Own, 5),
                    ],
                );
                let own = kind == MilestoneKind::Own;
                out.push(EntryDetail::Milestone(MilestoneInput {
                    kind: kind.code().to_owned(),
                    date: self.day_between(opened + Duration::days(30), last),
                    text: own.then(|| one(&mut self.rng, OWN_MILESTONES).to_owned()),
                    language: own.then(|| "es".to_owned()),
                    version: None,
                }));
            }
        }
        if percent(&mut self.rng, 25) {
            out.push(EntryDetail::LegalRelief(self.relief(case, opened, last)));
        }
        if percent(&mut self.rng, 40) {
            let (kind, language, text) = one(&mut self.rng, NOTES);
            out.push(EntryDetail::Note(NoteInput {
                kind: kind.code().to_owned(),
                text: text.to_owned(),
                language: Some(language.to_owned()),
                content_note: false,
                translation: None,
                translation_language: None,
                date: Some(self.day_between(opened, last)),
                follow_up_on: None,
                version: None,
            }));
        }
        out
    }

    /// A legal relief fitting where the person was exploited, with dates that make tasks.
    fn relief(&mut self, case: &CaseFields, opened: NaiveDate, last: NaiveDate) -> LegalReliefInput {
        let in_us = case.countries.iter().flatten().any(|c| c == "US");
        let kind = if in_us {
            weighted(
                &mut self.rng,
                &[
                    (LegalReliefKind::TVisa, 35),
                    (LegalReliefKind::ContinuedPresence, 25),
                    (LegalReliefKind::UVisa, 15),
                    (LegalReliefKind::HhsCertification, 15),
                    (LegalReliefKind::HhsEligibility, 5),
                    (LegalReliefKind::Asylum, 5),
                ],
            )
        } else {
            weighted(
                &mut self.rng,
                &[
                    (LegalReliefKind::MxDenuncia, 50),
                    (LegalReliefKind::MxHumanitarianVisa, 30),
                    (LegalReliefKind::MxVictimRecognition, 20),
                ],
            )
        };
        let filed = self.day_between(opened, last);
        let mut r = LegalReliefInput { kind: kind.code().to_owned(), ..LegalReliefInput::default() };
        let status = match kind {
            LegalReliefKind::ContinuedPresence | LegalReliefKind::MxHumanitarianVisa => {
                let granted = filed;
                r.granted_on = Some(granted);
                r.expires_on =
                    Some(granted + Duration::days(if kind == LegalReliefKind::ContinuedPresence { 730 } else { 365 }));
                LegalReliefStatus::Granted
            }
            LegalReliefKind::TVisa | LegalReliefKind::UVisa => {
                r.filed_on = Some(filed);
                r.receipt_number = Some(format!("EAC{}", digits(&mut self.rng, 10)));
                let s = weighted(
                    &mut self.rng,
                    &[
                        (LegalReliefStatus::Filed, 40),
                        (LegalReliefStatus::BonaFide, 20),
                        (LegalReliefStatus::Rfe, 10),
                        (LegalReliefStatus::Granted, 25),
                        (LegalReliefStatus::Denied, 5),
                    ],
                );
                match s {
                    LegalReliefStatus::Rfe => {
                        r.rfe_due_on = Some(self.today + Duration::days(self.rng.gen_range(5..=80)))
                    }
                    LegalReliefStatus::Granted => r.granted_on = Some(self.day_between(filed, last)),
                    LegalReliefStatus::Denied => r.decided_on = Some(self.day_between(filed, last)),
                    _ => {}
                }
                s
            }
            LegalReliefKind::HhsEligibility => {
                r.granted_on = Some(filed);
                r.interim_expires_on = Some(filed + Duration::days(90));
                LegalReliefStatus::Granted
            }
            LegalReliefKind::MxDenuncia => {
                r.filed_on = Some(filed);
                r.case_file_number = Some(format!("CI-FEVIMTRA/{}/{}", digits(&mut self.rng, 3), filed.format("%Y")));
                LegalReliefStatus::Filed
            }
            _ => {
                r.filed_on = Some(filed);
                LegalReliefStatus::Requested
            }
        };
        r.status = status.code().to_owned();
        r
    }
}

// ---------------------------------------------------------------------------------------------
// The command.

/// Seeds `total` people with a case each into `org`, reporting progress on standard error
/// and a summary line on standard output.
pub async fn run(app: &Amparo, org: OrgId, total: usize, seed: u64) -> Result<(), Failure> {
    let operator = Caller::Operator;
    let mut assignees: Vec<UserId> = app
        .list_users(&operator, org)
        .await?
        .into_iter()
        .filter(|u| u.role == Role::CaseManager && !u.disabled)
        .map(|u| u.id)
        .collect();
    assignees.sort();
    let mut generator = Generator::new(seed, app.now().date_naive(), assignees);
    let step = total.div_ceil(10).max(1);
    let mut next_report = step;
    let mut done = 0usize;
    let start = Instant::now();
    while done < total {
        let n = BATCH.min(total - done);
        let batch: Vec<DemoRecord> = (0..n).map(|_| generator.record()).collect();
        done += app.seed_records(&operator, org, None, batch).await.map_err(|e| {
            // Earlier batches are committed: say how far it got.
            Failure::msg(format!("{} (after {done} cases were written)", Failure::from(e)))
        })?;
        if done >= next_report && done < total {
            let secs = start.elapsed().as_secs_f64();
            eprintln!("demo: {done}/{total} cases ({}%) in {secs:.1} s", done * 100 / total);
            while next_report <= done {
                next_report += step;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let rate = done as f64 / secs.max(1e-6);
    println!("seeded {done} cases in {secs:.1} s ({rate:.0} cases/s)");
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn generator(seed: u64) -> Generator {
        Generator::new(seed, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), Vec::new())
    }

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let (mut a, mut b, mut c) = (generator(7), generator(7), generator(8));
        let json = |g: &mut Generator| {
            serde_json::to_string(&(0..50).map(|_| g.record()).map(|r| (r.person, r.case)).collect::<Vec<_>>()).unwrap()
        };
        let (ja, jb, jc) = (json(&mut a), json(&mut b), json(&mut c));
        assert_eq!(ja, jb);
        assert_ne!(ja, jc);
    }

    #[test]
    fn codes_come_from_the_vocabularies() {
        let mut g = generator(1);
        let today = g.today;
        let mut minors = 0;
        let mut aliases = 0;
        for _ in 0..2000 {
            let r = g.record();
            let p = &r.person;
            assert!(p.given_name.is_some() || p.alias.is_some());
            aliases += usize::from(p.alias.is_some());
            if let Some(Answer::Value(gender)) = &p.gender {
                Gender::from_code(gender).unwrap();
            }
            for c in p.citizenship.iter().flatten() {
                vocab::country(c).unwrap();
            }
            if let Some(Answer::Value(l)) = &p.primary_language {
                vocab::language(l).unwrap();
            }
            if let Some(Answer::Value(phone)) = &p.phone {
                amparo_domain::records::normalise_e164(phone).unwrap();
            }
            if let Some(Answer::Value(d)) = &p.birth_date {
                let d = NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
                let age = amparo_domain::records::age_on(d, today);
                assert!((14..=60).contains(&age), "{age}");
                minors += usize::from(age < 18);
            }
            let sc = p.safe_contact.as_ref().unwrap();
            assert!((1..=3).contains(&sc.len()));
            let c = &r.case;
            CaseStatus::from_code(c.status.as_deref().unwrap()).unwrap();
            if let Some(reason) = &c.closure_reason {
                ClosureReason::from_code(reason).unwrap();
            }
            let types = c.exploitation_types.as_ref().unwrap();
            assert!((1..=2).contains(&types.len()));
            assert!(types.iter().all(|t| ExploitationType::from_code(t).is_ok()));
            let means = c.means_of_control.as_ref().unwrap();
            assert!((1..=4).contains(&means.len()));
            assert!(means.iter().all(|m| MeansOfControl::from_code(m).is_ok()));
            for place in c.places.iter().flatten() {
                vocab::place(place).unwrap();
            }
            let opened = c.opened_on.unwrap();
            assert!(opened <= today && (today - opened).num_days() <= 1095);
            assert!(c.closed_on.is_none_or(|d| d >= opened && d <= today));
        }
        assert!((1000..1400).contains(&aliases), "{aliases}");
        assert!(minors > 50, "{minors}");
    }

    #[test]
    fn every_case_gets_plausible_work_within_its_life() {
        let mut g = generator(5);
        let today = g.today;
        let (mut reliefs, mut goals) = (0, 0);
        for _ in 0..1000 {
            let r = g.record();
            let opened = r.case.opened_on.unwrap();
            let services = r.work.iter().filter(|w| matches!(w, EntryDetail::Service(_))).count();
            assert!((1..=3).contains(&services), "{services}");
            for w in &r.work {
                match w {
                    EntryDetail::Service(s) => {
                        ServiceCategory::from_code(&s.category).unwrap();
                        assert!(s.date >= opened && s.date <= today && s.minutes.is_some_and(|m| m > 0));
                    }
                    EntryDetail::Goal(goal) => {
                        goals += 1;
                        NeedDomain::from_code(&goal.domain).unwrap();
                        assert!(!goal.text.is_empty());
                    }
                    EntryDetail::LegalRelief(l) => {
                        reliefs += 1;
                        LegalReliefKind::from_code(&l.kind).unwrap();
                        LegalReliefStatus::from_code(&l.status).unwrap();
                    }
                    EntryDetail::Milestone(m) => {
                        assert_eq!(MilestoneKind::from_code(&m.kind).unwrap() == MilestoneKind::Own, m.text.is_some());
                    }
                    EntryDetail::Appointment(a) => assert!(a.date >= today),
                    EntryDetail::Note(n) => assert!(n.date.is_some_and(|d| d >= opened && d <= today)),
                    EntryDetail::NeedAssessment(a) => assert_eq!(a.ratings.len(), NeedDomain::ALL.len()),
                }
            }
        }
        assert!((150..350).contains(&reliefs), "{reliefs}");
        assert!(goals > 400, "{goals}");
    }

    #[test]
    fn the_lists_are_long_enough_and_split_cleanly() {
        let w = Words::new();
        for (l, min) in [
            (&w.hispanic_f, 80),
            (&w.hispanic_m, 80),
            (&w.central_american_f, 50),
            (&w.central_american_m, 50),
            (&w.us_f, 80),
            (&w.us_m, 80),
            (&w.mexican_surnames, 100),
            (&w.guatemalan_surnames, 80),
            (&w.honduran_surnames, 80),
            (&w.salvadoran_surnames, 80),
            (&w.us_surnames, 100),
        ] {
            assert!(l.len() >= min, "{l:?}");
            assert!(l.iter().all(|n| !n.is_empty() && n.trim() == *n && !n.contains('\\')), "{l:?}");
        }
        assert!(w.central_american_m.contains(&"Juan Carlos"));
    }

    #[test]
    fn nicknames_and_emails_look_right() {
        assert_eq!(ascii_fold("Xóchitl"), "xochitl");
        assert_eq!(ascii_fold("Peña Núñez"), "penanunez");
        let mut g = generator(3);
        for _ in 0..200 {
            let n = g.nickname("María Guadalupe", Sex::F);
            assert!(!n.is_empty());
        }
    }
}
